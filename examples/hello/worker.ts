/** The hello example as a Cloudflare Worker: `npm run dev:worker` (wrangler dev, local). */
import { createWorker } from "tsgi/cloudflare";
import { app } from "./app.ts";

export default createWorker(app);
