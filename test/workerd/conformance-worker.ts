/** The conformance apps as a Worker: what `wrangler dev` and the workerd tests run. */
import { createWorker } from "../../adapters/cloudflare.ts";
import { dispatch } from "../conformance/apps.ts";

export default createWorker(dispatch);
