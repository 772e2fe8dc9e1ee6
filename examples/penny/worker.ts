/**
 * Penny as a Cloudflare Worker, over the D1 database bound as `DB` (examples/penny/wrangler.jsonc).
 * `npm run dev:worker -- penny` seeds a local D1 from penny.sql and runs it.
 */
import type { App } from "tsgi";
import { createWorker } from "tsgi/cloudflare";
import { createPenny } from "./app.ts";
import { type D1Like, d1Database } from "./d1.ts";

/** The bindings of examples/penny/wrangler.jsonc. */
export interface Env {
  DB: D1Like;
}

// Bindings arrive with each request (environ["cloudflare.env"]), not at module load.
const app: App = (environ, startResponse) => {
  const env = environ["cloudflare.env"] as Env;
  return createPenny({ db: d1Database(env.DB) })(environ, startResponse);
};

export default createWorker<Env>(app);
