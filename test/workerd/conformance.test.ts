/**
 * The conformance table inside workerd: each request goes through `exports.default.fetch()` to the
 * conformance Worker (tsgi/cloudflare), so Request, Headers, Response and streams are workerd's own.
 */
import { exports } from "cloudflare:workers";
import { runConformance } from "../conformance/run.ts";
import { workerdDriver } from "./driver.ts";

runConformance(workerdDriver("workerd", (request) => exports.default.fetch(request)));
