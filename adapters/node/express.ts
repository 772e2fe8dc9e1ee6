/**
 * A tsgi listener inside Express or Connect: the mount point those frameworks cut from `req.url`,
 * and the body a parser mounted before the listener may already have read.
 * @module
 */
import type { IncomingMessage } from "node:http";
import { percentDecode } from "../../core/gateway.ts";

/** The fields Express (`baseUrl`, `originalUrl`, `body`) and Connect (`originalUrl`) add to a request. */
interface FrameworkRequest extends IncomingMessage {
  baseUrl?: unknown;
  originalUrl?: unknown;
  body?: unknown;
  rawBody?: unknown;
}

/** What the framework changed, as the gateway should see it. */
export interface MountedRequest {
  /** The original request target, as the client sent it (`req.originalUrl`). */
  target: string;
  /** The mount point, decoded (SCRIPT_NAME), when the framework cut one. */
  scriptName?: string | undefined;
}

/** Thrown at the first read of `tsgi.input` when a middleware already consumed the body. */
export class BodyConsumedError extends Error {
  readonly code = "TSGI_BODY_CONSUMED";
  constructor() {
    super(
      "tsgi.input: a middleware mounted before the tsgi listener (a body parser such as express.json() " +
        "or express.urlencoded()) already read the request body and left no raw bytes. Mount the tsgi " +
        "listener before the body parsers, or use express.raw() so that req.body holds the bytes.",
    );
    this.name = "BodyConsumedError";
  }
}

const pathOf = (url: string) => url.split("?", 1)[0]!;
const queryOf = (url: string) => (url.includes("?") ? url.slice(url.indexOf("?")) : "");

/**
 * The original target and mount point of a request routed by Express or Connect, or undefined
 * when the listener runs on its own. Express gives `baseUrl`; Connect only `originalUrl`, from
 * which the cut prefix is what precedes the remaining path (Connect turns an empty rest into `/`).
 * When a middleware rewrote `req.url` as well, the rewrite wins: the target is then the mount
 * point followed by the rewritten URL.
 */
export function mountedRequest(req: IncomingMessage): MountedRequest | undefined {
  const framework = req as FrameworkRequest;
  const original = framework.originalUrl;
  const url = req.url ?? "/";
  if (typeof original !== "string" || original === url) return undefined;
  const full = pathOf(original);
  const rest = pathOf(url);
  let prefix: string | undefined;
  if (typeof framework.baseUrl === "string") prefix = framework.baseUrl;
  else if (full.endsWith(rest)) prefix = full.slice(0, full.length - rest.length);
  else if (rest === "/") prefix = full;
  const scriptName = prefix ? percentDecode(prefix) : undefined;
  // Connect's "/" for an empty rest: `/legacy` itself, not `/legacy/`.
  const cut = prefix !== undefined && (full === prefix + rest || (rest === "/" && full === prefix));
  if (cut && queryOf(original) === queryOf(url)) return { target: original, scriptName };
  return { target: (prefix ?? "") + url, scriptName };
}

/**
 * The request body when a middleware already read the stream: the raw bytes it left (`req.body`
 * from express.raw(), or `req.rawBody`), or a source whose first read fails with
 * {@link BodyConsumedError} (the app's read then fails, and the client gets a 500 with the reason
 * logged). Undefined when the stream is untouched.
 */
export function consumedBody(req: IncomingMessage): Uint8Array | AsyncIterable<Uint8Array> | undefined {
  if (!req.readableDidRead) return undefined;
  const framework = req as FrameworkRequest;
  if (framework.body instanceof Uint8Array) return framework.body;
  if (framework.rawBody instanceof Uint8Array) return framework.rawBody;
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.reject(new BodyConsumedError()),
    }),
  };
}
