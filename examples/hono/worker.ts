/** The Hono example as a Cloudflare Worker through tsgi: `c.env` and `c.executionCtx` as Hono expects. */
import { createWorker } from "tsgi/cloudflare";
import { fromFetch } from "tsgi/fetch";
import { app } from "./app.ts";

export default createWorker(fromFetch(app.fetch));
