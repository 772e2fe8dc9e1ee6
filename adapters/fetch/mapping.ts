/**
 * Fetch mapping, incoming: a Fetch `Request` as a platform-neutral GatewayRequest (pure; the outgoing
 * half is response-sink.ts). Only Fetch and Streams globals: this runs in workerd, Node, Deno and
 * Bun alike.
 * @module
 */
import { utf8ToLatin1 } from "../../core/gateway.ts";
import type { ErrorStream, GatewayRequest, TsgiEvent, WaitUntil } from "../../core/gateway.ts";

/** What the entry knows about one request beyond the Request itself. */
export interface RequestContext {
  errors: ErrorStream;
  waitUntil: WaitUntil;
  multithread: boolean;
  multiprocess: boolean;
  scriptName?: string | undefined;
  remoteAddr?: string | undefined;
  /** `HTTP/1.1` unless the platform tells (`request.cf.httpProtocol` on Workers). */
  protocol?: string | undefined;
  /**
   * How the runtime turned header bytes into strings: `latin1` (the Fetch ByteString: undici, Deno)
   * or `utf8` (workerd decodes them as UTF-8, so non-ASCII values are encoded back).
   */
  headerText?: "latin1" | "utf8" | undefined;
  extras?: Record<string, unknown> | undefined;
  /** Paths refused over HTTP (see `GatewayRequest.eventPaths`). */
  eventPaths?: readonly string[] | undefined;
  /** The event this Request carries, when the gateway made it for one (Workers cron, queue). */
  event?: TsgiEvent | undefined;
  /** See `GatewayRequest.appTimeout`. */
  appTimeout?: number | undefined;
}

/**
 * The request target as the platform passed it: the text of `request.url` after `scheme://host`.
 * Never re-parsed with `new URL(target, base)`, which would turn `//x` into a host.
 */
export function targetOf(url: string): string {
  const authority = url.indexOf("://");
  const start = url.slice(authority + 3).search(/[/?#]/);
  if (authority === -1 || start === -1) return "/";
  const target = url.slice(authority + 3 + start);
  return target.startsWith("/") ? target : `/${target}`;
}

/** Reads a body stream lazily: one `read()` per chunk the app asks for, nothing buffered ahead. */
function chunksOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const reader = stream.getReader();
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          const { done, value } = await reader.read();
          if (done) {
            reader.releaseLock();
            return { done: true, value: undefined };
          }
          return { done: false, value };
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          await reader.cancel().catch(() => undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/**
 * Incoming: a Fetch Request as a platform-neutral GatewayRequest. Fetch has already lost some of the
 * wire request (see docs/spec.md): `Headers` joins repeated fields and lower-cases names, and the
 * platform may have normalized the URL (Workers resolve `..`; a `#` never arrives).
 */
export function toGatewayRequest(request: Request, context: RequestContext): GatewayRequest {
  const url = request.url;
  const headers: Array<[string, string]> = [];
  let host: string | undefined;
  const utf8 = context.headerText === "utf8";
  request.headers.forEach((value, name) => {
    // Fetch joins repeated Cookie fields with ", " (workerd does, undici uses "; "); a cookie-octet
    // never holds a comma (RFC 6265 4.1.1), so ", " can only be such a join: restore the "; ".
    let text = name === "cookie" ? value.replaceAll(", ", "; ") : value;
    if (utf8 && NON_ASCII.test(text)) text = utf8ToLatin1(text);
    if (name === "host") host = text;
    headers.push([name, text]);
  });
  const scheme = url.startsWith("https:") ? "https" : "http";
  // The URL's authority is parsed only when it is needed: a Request made in code (or forwarded over
  // HTTP/2) may lack Host, and then its URL's authority is the host. With a Host header, SERVER_NAME
  // and SERVER_PORT come from it (buildEnviron), so these two are never read.
  let serverName = "";
  let serverPort = "";
  if (!host) {
    const parsed = new URL(url);
    if (host === undefined) headers.unshift(["host", parsed.host]);
    serverName = parsed.hostname;
    serverPort = parsed.port || (scheme === "https" ? "443" : "80");
  }
  return {
    method: request.method,
    target: targetOf(url),
    headers,
    body: request.body ? chunksOf(request.body) : null,
    scheme,
    protocol: context.protocol ?? "HTTP/1.1",
    serverName,
    serverPort,
    remoteAddr: context.remoteAddr,
    scriptName: context.scriptName,
    errors: context.errors,
    multithread: context.multithread,
    multiprocess: context.multiprocess,
    waitUntil: context.waitUntil,
    extras: context.extras,
    eventPaths: context.eventPaths,
    event: context.event,
    strictHost: true,
    appTimeout: context.appTimeout,
  };
}

// oxlint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
