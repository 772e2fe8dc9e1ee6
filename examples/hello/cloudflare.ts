/** The hello example as a Cloudflare Worker: `npx wrangler dev -c examples/hello/wrangler.jsonc`. */
import { createWorker } from "tsgi/cloudflare";
import { app } from "./app.ts";

export default createWorker(app);
