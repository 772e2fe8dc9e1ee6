/**
 * The JSONStore on Workers: a Durable Object holds the document and runs the app next to it.
 *
 * Why a Durable Object and not KV: one object is the only place the document lives and the only
 * instance of the app that changes it, so every read sees the last write and a change (load, modify,
 * save) is never interleaved with another. Workers KV is eventually consistent (a write can take
 * up to a minute to show in other locations, and two writers race), which is fine for a cache but
 * not for a store that clients edit piece by piece.
 * @module
 */
import { type Worker, createWorker } from "tsgi/cloudflare";
import { createJsonStore } from "./app.ts";
import type { DocumentStore, Json } from "./store.ts";

/** The part of a Durable Object's transactional storage the store uses. */
export interface DurableStorageLike {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** The part of `DurableObjectState` used here. */
export interface DurableObjectStateLike {
  storage: DurableStorageLike;
  waitUntil(promise: Promise<unknown>): void;
}

const KEY = "document";

/**
 * A DocumentStore over Durable Object storage: the document as one JSON text under one key, so a
 * `put` replaces it whole (each storage write is atomic).
 *
 * @example
 * ```ts
 * const store = durableStore(state.storage);
 * ```
 */
export function durableStore(storage: DurableStorageLike): DocumentStore {
  return {
    async load() {
      const text = await storage.get(KEY);
      return typeof text === "string" ? (JSON.parse(text) as Json) : undefined;
    },
    save: (document) => storage.put(KEY, JSON.stringify(document)),
    clear: async () => {
      await storage.delete(KEY);
    },
  };
}

/**
 * The Durable Object class (binding `JSONSTORE` in wrangler.jsonc). Requests reach it through
 * `stub.fetch()` and go through tsgi/cloudflare like any Worker request.
 *
 * @example
 * ```ts
 * const stub = env.JSONSTORE.get(env.JSONSTORE.idFromName("document"));
 * return stub.fetch(request);
 * ```
 */
export class JsonStoreObject {
  readonly #state: DurableObjectStateLike;
  readonly #env: unknown;
  readonly #worker: Worker;

  constructor(state: DurableObjectStateLike, env: unknown) {
    this.#state = state;
    this.#env = env;
    // The whole document is one storage value: SQLite-backed Durable Objects take up to 2 MB.
    this.#worker = createWorker(
      createJsonStore({ store: durableStore(state.storage), maxBytes: 1024 * 1024 }),
    );
  }

  fetch(request: Request): Promise<Response> {
    return this.#worker.fetch(request, this.#env, this.#state);
  }
}
