/**
 * Fetch mapping, incoming: a Fetch `Request` as a platform-neutral GatewayRequest (pure; the outgoing
 * half is response-sink.ts). Only Fetch and Streams globals: this runs in workerd, Node, Deno and
 * Bun alike.
 * @module
 */
import { utf8ToLatin1 } from "../../core/gateway.ts";
import type { ErrorStream, GatewayRequest, TsgiEvent, WaitUntil, WholeBody } from "../../core/gateway.ts";

/** What a Fetch handler knows up front, the same for every request it serves. */
export interface FetchSetup {
  errors: ErrorStream;
  multithread: boolean;
  multiprocess: boolean;
  scriptName?: string | undefined;
  /**
   * How the runtime turned header bytes into strings: `latin1` (the Fetch ByteString: undici, Deno)
   * or `utf8` (workerd decodes them as UTF-8, so non-ASCII values are encoded back).
   */
  headerText?: "latin1" | "utf8" | undefined;
  /** Paths refused over HTTP (see `GatewayRequest.eventPaths`). */
  eventPaths?: readonly string[] | undefined;
  /** See `GatewayRequest.appTimeout`. */
  appTimeout?: number | undefined;
  /**
   * A header (lower case) whose value is REMOTE_ADDR when no address is passed: the platform's own
   * (`cf-connecting-ip`), read in the one pass over the headers rather than by a `get` of its own.
   */
  addressHeader?: string | undefined;
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

/**
 * A request body read lazily: one `read()` of the stream per chunk the app asks for, nothing
 * buffered ahead; a read of the whole body is the runtime's own `arrayBuffer()` (native in workerd,
 * one pass in undici). A class: one object per request, its methods shared.
 */
class FetchBody implements WholeBody {
  readonly #request: Request;
  readonly #stream: ReadableStream<Uint8Array>;

  constructor(request: Request, stream: ReadableStream<Uint8Array>) {
    this.#request = request;
    this.#stream = stream;
  }

  readAll(): Promise<Uint8Array> {
    return this.#request.arrayBuffer().then(toBytes);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const reader = this.#stream.getReader();
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
  }
}

/**
 * Incoming: a Fetch Request as a platform-neutral GatewayRequest. Fetch has already lost some of the
 * wire request (see docs/spec.md): `Headers` joins repeated fields and lower-cases names, and the
 * platform may have normalized the URL (Workers resolve `..`; a `#` never arrives). The request's
 * own fields come as arguments rather than in an object made for each request.
 */
export function toGatewayRequest(
  request: Request,
  setup: FetchSetup,
  waitUntil: WaitUntil,
  remoteAddr: string | undefined,
  protocol: string | undefined,
  extras: Record<string, unknown> | undefined,
  event: TsgiEvent | undefined,
): GatewayRequest {
  const url = request.url;
  const body = request.body;
  collected = 0;
  collectedHost = undefined;
  collectedAddress = undefined;
  collectUtf8 = setup.headerText === "utf8";
  addressHeader = setup.addressHeader;
  request.headers.forEach(collect);
  if (PAIRS.length > collected) PAIRS.length = collected;
  let headers: Array<[string, string]> = PAIRS;
  const host = collectedHost;
  const scheme = url.startsWith("https:") ? "https" : "http";
  // The URL's authority is parsed only when it is needed: a Request made in code (or forwarded over
  // HTTP/2) may lack Host, and then its URL's authority is the host. With a Host header, SERVER_NAME
  // and SERVER_PORT come from it (buildEnviron), so these two are never read.
  let serverName = "";
  let serverPort = "";
  if (!host) {
    const parsed = new URL(url);
    if (host === undefined) headers = [["host", parsed.host], ...PAIRS];
    serverName = parsed.hostname;
    serverPort = parsed.port || (scheme === "https" ? "443" : "80");
  }
  return {
    method: request.method,
    target: targetOf(url),
    headers,
    // A Fetch `Headers` holds only valid values, their blanks stripped (Fetch "normalize", and the
    // runtime's HTTP parser before it), and the UTF-8 step above keeps ASCII bytes as they are: no
    // value needs the check again.
    headerValuesChecked: true,
    body: body ? new FetchBody(request, body) : null,
    scheme,
    protocol: protocol ?? "HTTP/1.1",
    serverName,
    serverPort,
    remoteAddr: remoteAddr ?? collectedAddress,
    scriptName: setup.scriptName,
    errors: setup.errors,
    multithread: setup.multithread,
    multiprocess: setup.multiprocess,
    waitUntil,
    extras,
    eventPaths: setup.eventPaths,
    event,
    strictHost: true,
    appTimeout: setup.appTimeout,
  };
}

/*
 * The header pairs of the request being mapped. buildEnviron reads them within the same synchronous
 * call (startRequest) and nothing keeps them after, so the same pair arrays serve every request,
 * instead of a dozen new ones and a callback each time: in workerd nearly every young object outlives
 * its scavenge, so what a request allocates is what its tail latency follows (bench/NOTES.md).
 */
const PAIRS: Array<[string, string]> = [];
let collected = 0;
let collectedHost: string | undefined;
let collectedAddress: string | undefined;
let collectUtf8 = false;
let addressHeader: string | undefined;

function collect(value: string, name: string): void {
  // Fetch joins repeated Cookie fields with ", " (workerd does, undici uses "; "); a cookie-octet
  // never holds a comma (RFC 6265 4.1.1), so ", " can only be such a join: restore the "; ".
  let text = name === "cookie" ? value.replaceAll(", ", "; ") : value;
  if (collectUtf8 && NON_ASCII.test(text)) text = utf8ToLatin1(text);
  if (name === "host") collectedHost = text;
  else if (name === addressHeader) collectedAddress = text;
  const pair = PAIRS[collected];
  if (pair === undefined) PAIRS.push([name, text]);
  else {
    pair[0] = name;
    pair[1] = text;
  }
  collected++;
}

const toBytes = (buffer: ArrayBuffer) => new Uint8Array(buffer);

// oxlint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
