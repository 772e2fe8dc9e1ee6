/** The hello example as a Cloudflare Worker: `npm run dev:worker` (wrangler dev, local). */
import { createErrorStream } from "tsgi";
import { createWorker } from "tsgi/cloudflare";
import { app } from "./app.ts";

// tsgi.errors goes to console.error by default, which wrangler dev shows as "✘ [ERROR]": the timing
// middleware's line is an ordinary log line, so this example sends tsgi.errors to console.log.
export default createWorker(app, { errors: createErrorStream((line) => console.log(line)) });
