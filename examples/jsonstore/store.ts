/**
 * Where the JSONStore keeps its one document. Each platform brings its own implementation: a file
 * on the local server, Workers KV or a Durable Object on Cloudflare, and (documented in the README)
 * memory or S3 on Lambda.
 * @module
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Storage for one JSON document. */
export interface DocumentStore {
  /** The document, or undefined when none was stored. */
  load(): Promise<Json | undefined>;
  /** Replaces the document; must be atomic (a reader sees the old or the new document, never a part). */
  save(document: Json): Promise<void>;
  /** Removes the document. */
  clear(): Promise<void>;
}

/**
 * A store in memory: tests, and a single Lambda instance (each instance has its own copy).
 *
 * @example
 * ```ts
 * const app = createJsonStore({ store: memoryStore() });
 * ```
 */
export function memoryStore(initial?: Json): DocumentStore {
  let text: string | undefined = initial === undefined ? undefined : JSON.stringify(initial);
  return {
    load: async () => (text === undefined ? undefined : (JSON.parse(text) as Json)),
    save: async (document) => {
      text = JSON.stringify(document);
    },
    clear: async () => {
      text = undefined;
    },
  };
}
