/** The CGI script lighttpd runs in the tests: the conformance apps, mounted at the root. */
import { runCgi } from "../../adapters/cgi.ts";
import { dispatch } from "../conformance/apps.ts";

process.exit(await runCgi(dispatch, { scriptName: "" }));
