/**
 * Penny as a Cloudflare Worker, over the D1 database bound as `DB` (examples/penny/wrangler.jsonc).
 * `npm run dev:worker -- penny` seeds a local D1 from penny.sql and runs it.
 */
import type { App } from "tsgi";
import { type CloudflareEnviron, createWorker } from "tsgi/cloudflare";
import { createPenny } from "./app.ts";
import { type D1Like, d1Database } from "./d1.ts";

/** The bindings of examples/penny/wrangler.jsonc. */
export interface Env {
  DB: D1Like;
}

// Bindings arrive with each request (environ["cloudflare.env"]), not at module load.
const app: App<CloudflareEnviron<Env>> = (environ, startResponse) =>
  createPenny({ db: d1Database(environ["cloudflare.env"].DB) })(environ, startResponse);

export default createWorker(app);
