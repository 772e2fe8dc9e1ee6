/**
 * The JSONStore as a Cloudflare Worker: every request goes to the one Durable Object that holds the
 * document (see durable-object.ts for why). `npm run dev:worker -- jsonstore` runs it locally.
 */
import { JsonStoreObject } from "./durable-object.ts";

export { JsonStoreObject };

/** The bindings of examples/jsonstore/wrangler.jsonc. */
export interface Env {
  JSONSTORE: {
    idFromName(name: string): unknown;
    get(id: unknown): { fetch(request: Request): Promise<Response> };
  };
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return env.JSONSTORE.get(env.JSONSTORE.idFromName("document")).fetch(request);
  },
};
