/**
 * `fromFetch`: the reverse of `createFetchHandler`. A Fetch handler (Hono's `app.fetch`, a Worker's
 * `fetch`, itty-router) becomes a tsgi App that runs behind every tsgi adapter. Only Fetch and
 * Streams globals: it runs in workerd, Node, Deno and Bun alike.
 * @module
 */
import {
  HOP_BY_HOP,
  hostUrl,
  latin1ToBytes,
  percentDecode,
  percentEncode,
  splitTarget,
  utf8ToLatin1,
} from "../../core/gateway.ts";
import type { App, Body, Environ, StartResponse } from "../../core/gateway.ts";

/** Any Fetch handler: `(request, env?, ctx?) => Response`. */
export type FetchApp = (request: Request, env?: any, ctx?: any) => Response | Promise<Response>;

/** The arguments after the Request that the handler gets: `[env, ctx]`, or fewer. */
export type PlatformArgs = [env?: unknown, ctx?: unknown];

export interface FromFetchOptions {
  /**
   * The arguments passed after the Request. Default {@link platformArgs}: `env` and `ctx` on
   * Workers, Hono's Lambda convention on Lambda, nothing elsewhere.
   */
  platform?: (environ: Environ) => PlatformArgs;
  /**
   * How header values cross into and out of the Fetch world: `latin1` (a Fetch ByteString, as
   * undici and Deno take it) or `utf8` (workerd reads header strings as UTF-8). Default `utf8` when
   * environ has `cloudflare.env`, else `latin1`.
   */
  headerText?: "latin1" | "utf8";
}

/**
 * The platform arguments the frameworks expect. On Workers: `env` and the `ExecutionContext`
 * (Hono's `c.env`, `c.executionCtx`). On Lambda: one object in the shape Hono's own
 * `hono/aws-lambda` passes, `{ event, requestContext, lambdaContext }` (its streaming handler names
 * the context `context`, so that key is there too). Elsewhere: nothing.
 *
 * @example
 * ```ts
 * fromFetch(app.fetch, { platform: (environ) => [...platformArgs(environ), ] });
 * ```
 */
export function platformArgs(environ: Environ): PlatformArgs {
  if ("cloudflare.env" in environ) return [environ["cloudflare.env"], environ["cloudflare.ctx"]];
  if ("aws.context" in environ) {
    const event = environ["aws.event"] as { requestContext?: unknown } | undefined;
    const context = environ["aws.context"];
    return [{ event, requestContext: event?.requestContext, lambdaContext: context, context }];
  }
  return [];
}

/** Reason phrases for the statuses a Fetch Response may carry without a statusText. */
const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  207: "Multi-Status",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  418: "I'm a Teapot",
  421: "Misdirected Request",
  422: "Unprocessable Content",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

/** The reason of a status without one: the standard phrase, else its class. */
function reasonOf(status: number): string {
  return REASONS[status] ?? (status < 400 ? "Unknown" : status < 500 ? "Client Error" : "Server Error");
}

/** Bytes above 0x7F as `%XX`: the URL parser would otherwise UTF-8-encode a latin-1 code unit. */
function escapeHighBytes(target: string): string {
  // oxlint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(target)) return target;
  let out = "";
  for (const ch of target) {
    const c = ch.charCodeAt(0);
    out += c > 0x7f ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : ch;
  }
  return out;
}

/**
 * The request URL per PEP 3333's reconstruction. While SCRIPT_NAME + PATH_INFO still match the
 * decoded RAW_URI (no middleware rewrote them), the target is kept as it arrived, so `%2F`, `%41`
 * and an empty `?` reach the Fetch app unchanged.
 */
export function requestUrl(environ: Environ): string {
  const origin = hostUrl(environ);
  const path = environ.SCRIPT_NAME + environ.PATH_INFO;
  const raw = environ.RAW_URI;
  if (typeof raw === "string" && raw !== "*") {
    const split = splitTarget(raw);
    if (percentDecode(split.path) === path && split.query === environ.QUERY_STRING) {
      const beforeHash = raw.split("#", 1)[0]!;
      const query = beforeHash.includes("?") ? `?${split.query}` : "";
      return origin + escapeHighBytes((split.path || "/") + query);
    }
  }
  const query = environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : "";
  return origin + (percentEncode(path) || "/") + escapeHighBytes(query);
}

/** A bytes-as-latin1 value as the runtime's Headers want it. */
function headerIn(value: string, utf8: boolean): string {
  // oxlint-disable-next-line no-control-regex
  return utf8 && /[^\u0000-\u007f]/.test(value) ? UTF8.decode(latin1ToBytes(value)) : value;
}

/** A Fetch header value as bytes-as-latin1 (startResponse takes nothing above U+00FF). */
function headerOut(value: string): string {
  // oxlint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(value) ? utf8ToLatin1(value) : value;
}

const UTF8 = new TextDecoder();
const READ_SIZE = 64 * 1024;

/** The Fetch headers of the request: every `HTTP_*` key, CONTENT_TYPE and CONTENT_LENGTH. */
function requestHeaders(environ: Environ, utf8: boolean): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(environ)) {
    if (typeof value !== "string") continue;
    if (key.startsWith("HTTP_"))
      headers.append(key.slice(5).replaceAll("_", "-").toLowerCase(), headerIn(value, utf8));
    else if (key === "CONTENT_TYPE") headers.set("content-type", headerIn(value, utf8));
    else if (key === "CONTENT_LENGTH") headers.set("content-length", value);
  }
  return headers;
}

/** `tsgi.input` as a stream read lazily: one read per pull, nothing buffered ahead (high-water mark 0). */
function inputStream(environ: Environ, onError: (error: unknown) => void): ReadableStream<Uint8Array> {
  const input = environ["tsgi.input"];
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await input.read(READ_SIZE);
          if (chunk.byteLength === 0) controller.close();
          else controller.enqueue(chunk);
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
    },
    { highWaterMark: 0 },
  );
}

function isResponse(value: unknown): value is Response {
  const r = value as Partial<Response> | null;
  return typeof r?.status === "number" && typeof r.headers?.getSetCookie === "function" && "body" in r;
}

/**
 * Aborts when the Node client's socket closes before the response ended. Other platforms tell the
 * gateway only through close(), which aborts too.
 */
function watchNodeClient(environ: Environ, abort: () => void): () => void {
  const req = environ["node.request"] as
    | { socket?: { destroyed?: boolean; once?: Function; off?: Function } | null }
    | undefined;
  const socket = req?.socket;
  if (!socket || typeof socket.once !== "function" || typeof socket.off !== "function") return () => {};
  socket.once("close", abort);
  return () => socket.off!("close", abort);
}

/**
 * Makes a tsgi App from a Fetch handler. The Request is rebuilt from environ (PEP 3333 URL
 * reconstruction, `HTTP_*` headers, the body streamed from `tsgi.input`, none for GET and HEAD)
 * with a signal that aborts when the client goes away; the Response goes out with its status,
 * every Set-Cookie separate, and its body streamed with backpressure.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { fromFetch } from "tsgi/fetch";
 * import { serve } from "tsgi/node";
 * const hono = new Hono().get("/", (c) => c.text("hi"));
 * await serve(fromFetch(hono.fetch), { port: 8000 });
 * ```
 */
export function fromFetch(handler: FetchApp, options: FromFetchOptions = {}): App {
  const platform = options.platform ?? platformArgs;
  return async (environ: Environ, startResponse: StartResponse): Promise<Body> => {
    const utf8 = (options.headerText ?? ("cloudflare.env" in environ ? "utf8" : "latin1")) === "utf8";
    const controller = new AbortController();
    let finished = false;
    const abort = () => {
      if (!finished) controller.abort(new Error("the client went away"));
    };
    const unwatch = watchNodeClient(environ, abort);
    const method = environ.REQUEST_METHOD;
    const hasBody = method !== "GET" && method !== "HEAD" && environ.CONTENT_LENGTH !== "0";
    const init: RequestInit & { duplex?: "half" } = {
      method,
      headers: requestHeaders(environ, utf8),
      signal: controller.signal,
    };
    if (hasBody) {
      init.body = inputStream(environ, abort);
      init.duplex = "half";
    }
    let response: Response;
    try {
      response = await handler(new Request(requestUrl(environ), init), ...platform(environ));
    } catch (error) {
      unwatch();
      throw error;
    }
    // Duck-typed: a Response of another realm or polyfill (@hono/node-server's) is not `instanceof`.
    if (!isResponse(response)) {
      unwatch();
      throw new TypeError(`the Fetch handler returned ${typeof response}, not a Response`);
    }
    const headers: Array<[string, string]> = [];
    for (const [name, value] of response.headers) {
      if (name === "set-cookie" || HOP_BY_HOP.has(name)) continue;
      headers.push([name, headerOut(value)]);
    }
    for (const cookie of response.headers.getSetCookie()) headers.push(["set-cookie", headerOut(cookie)]);
    startResponse(`${response.status} ${response.statusText || reasonOf(response.status)}`, headers);
    const finish = () => {
      unwatch();
      finished = true;
    };
    const stream = response.body;
    if (!stream) {
      finish();
      return [];
    }
    const reader = stream.getReader();
    let done = false;
    const cancel = () => {
      if (done) return;
      done = true;
      abort();
      finish();
      reader.cancel().catch(() => undefined);
    };
    return {
      [Symbol.asyncIterator]: () => ({
        async next(): Promise<IteratorResult<Uint8Array>> {
          if (done) return { done: true, value: undefined };
          const step = await reader.read();
          if (step.done) {
            done = true;
            finish();
            return { done: true, value: undefined };
          }
          const chunk: unknown = step.value;
          if (!(chunk instanceof Uint8Array)) {
            cancel();
            throw new TypeError("the Fetch response body yielded a chunk that is not a Uint8Array");
          }
          return { done: false, value: chunk };
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          cancel();
          return { done: true, value: undefined };
        },
      }),
      close: cancel,
    };
  };
}
