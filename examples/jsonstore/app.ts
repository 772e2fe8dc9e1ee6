/**
 * JSONStore: a web API that stores one JSON document and lets clients walk it by path.
 *
 * PUT / stores a document; GET /sniffles/0 reads a sub-part by the path of its keys and indexes;
 * PUT /sniffles/0/rank replaces (or adds) a sub-part; DELETE removes one. Errors: 400 (bad JSON),
 * 404 (no such path), 405 (other methods), 413 (too large).
 * @module
 */
import type { App, Body, Environ, StartResponse } from "tsgi";
import { latin1ToUtf8 } from "tsgi";
import { json } from "../shared/http.ts";
import type { DocumentStore, Json } from "./store.ts";

export interface JsonStoreOptions {
  store: DocumentStore;
  /** The largest document accepted, in bytes. Default 1 MiB. */
  maxBytes?: number;
}

const ALLOW: [string, string] = ["Allow", "GET, HEAD, PUT, DELETE"];

/** The path segments of a request: `/sniffles/0/` is `["sniffles", "0"]`. */
function segments(environ: Environ): string[] {
  return latin1ToUtf8(environ.PATH_INFO)
    .split("/")
    .filter((s) => s !== "");
}

type Container = Json[] | { [key: string]: Json };

function isContainer(value: Json | undefined): value is Container {
  return typeof value === "object" && value !== null;
}

/** The child `key` of `value`, or undefined. Array keys must be canonical indexes (`0`, not `00`). */
function child(value: Json | undefined, key: string): Json | undefined {
  if (Array.isArray(value)) return /^(0|[1-9][0-9]*)$/.test(key) ? value[Number(key)] : undefined;
  if (isContainer(value)) return Object.hasOwn(value, key) ? value[key] : undefined;
  return undefined;
}

function walk(document: Json | undefined, path: string[]): Json | undefined {
  let value = document;
  for (const key of path) {
    value = child(value, key);
    if (value === undefined) return undefined;
  }
  return value;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readJson(environ: Environ, maxBytes: number): Promise<Json> {
  const declared = environ.CONTENT_LENGTH === undefined ? undefined : Number(environ.CONTENT_LENGTH);
  if (declared !== undefined && declared > maxBytes)
    throw new HttpError(413, `the document is larger than ${maxBytes} bytes`);
  // Read one byte past the limit: a body without Content-Length still cannot grow past it.
  const bytes = await environ["tsgi.input"].read(maxBytes + 1);
  if (bytes.byteLength > maxBytes) throw new HttpError(413, `the document is larger than ${maxBytes} bytes`);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as Json;
  } catch {
    throw new HttpError(400, "the body is not valid JSON (UTF-8)");
  }
}

/**
 * Makes the JSONStore app over a store.
 *
 * @example
 * ```ts
 * import { serve } from "tsgi/node";
 * await serve(createJsonStore({ store: memoryStore() }));
 * ```
 */
export function createJsonStore(options: JsonStoreOptions): App {
  const { store } = options;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  // A change is load, modify, save: two changes interleaving at an `await` would lose one of them.
  // One at a time within this app instance (on Workers one Durable Object runs the only instance).
  let changes: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(change: () => Promise<T>): Promise<T> => {
    const run = changes.then(change, change);
    changes = run.catch(() => undefined);
    return run;
  };

  const handle = async (environ: Environ, startResponse: StartResponse): Promise<Body> => {
    const path = segments(environ);
    switch (environ.REQUEST_METHOD) {
      case "GET":
      case "HEAD": {
        const value = walk(await store.load(), path);
        if (value === undefined)
          throw new HttpError(404, path.length ? "no such path" : "no document stored yet");
        return json(startResponse, 200, value);
      }
      case "PUT": {
        const value = await readJson(environ, maxBytes);
        return oneAtATime(() => put(path, value, startResponse));
      }
      case "DELETE":
        return oneAtATime(() => remove(path, startResponse));
      default:
        throw new HttpError(405, `${environ.REQUEST_METHOD} is not supported`);
    }
  };

  const put = async (path: string[], value: Json, startResponse: StartResponse): Promise<Body> => {
    if (path.length === 0) {
      await store.save(value);
      return json(startResponse, 200, value);
    }
    const document = await store.load();
    const parent = walk(document, path.slice(0, -1));
    const key = path.at(-1)!;
    if (Array.isArray(parent)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) > parent.length)
        throw new HttpError(404, "no such index");
      parent[Number(key)] = value;
    } else if (isContainer(parent)) parent[key] = value;
    else throw new HttpError(404, "no such path");
    await store.save(document!);
    return json(startResponse, 200, value);
  };

  const remove = async (path: string[], startResponse: StartResponse): Promise<Body> => {
    const document = await store.load();
    if (path.length === 0) {
      if (document === undefined) throw new HttpError(404, "no document stored yet");
      await store.clear();
      return json(startResponse, 204, null);
    }
    const parent = walk(document, path.slice(0, -1));
    const key = path.at(-1)!;
    if (child(parent, key) === undefined) throw new HttpError(404, "no such path");
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete (parent as { [key: string]: Json })[key];
    await store.save(document!);
    return json(startResponse, 204, null);
  };

  return async (environ, startResponse) => {
    try {
      return await handle(environ, startResponse);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return json(startResponse, error.status, { error: error.message }, error.status === 405 ? [ALLOW] : []);
    }
  };
}
