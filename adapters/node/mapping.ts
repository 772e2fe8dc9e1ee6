/**
 * Node mapping as pure functions: incoming (IncomingMessage to GatewayRequest) and outgoing
 * (the core's ResponseSink onto ServerResponse).
 * @module
 */
import { type IncomingMessage, Server, type ServerResponse } from "node:http";
import { Buffer } from "node:buffer";
import { createErrorStream, DEFAULT_EVENT_PATHS } from "../../core/gateway.ts";
import type {
  ErrorStream,
  GatewayRequest,
  HeaderList,
  ResponseHead,
  ResponseSink,
  WaitUntil,
} from "../../core/gateway.ts";
import type { NodeOptions } from "./types.ts";
import { consumedBody, mountedRequest } from "./express.ts";

/** `tsgi.errors` on process.stderr, written through whole (stderr needs no line buffering). */
export function nodeErrorStream(): ErrorStream {
  return createErrorStream((line) => process.stderr.write(`${line}\n`));
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is reported as `127.0.0.1`, as elsewhere. */
function plainAddress(address: string | undefined): string | undefined {
  return address?.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** Whether `--insecure-http-parser` is on for the process (NODE_OPTIONS or the command line). */
const LENIENT_PROCESS =
  process.execArgv.includes("--insecure-http-parser") ||
  (process.env.NODE_OPTIONS ?? "").includes("--insecure-http-parser");

/**
 * Whether Node's HTTP/1 parser checked the header values of `req`: in its strict mode (the default)
 * it refuses CR, LF and NUL in a value and trims the blanks around it, which is what the core would
 * check again for every header of every request. The lenient mode (`insecureHTTPParser`, for the
 * server or the process) lets more through, and a server this module does not know (HTTP/2's
 * compatibility API) is not taken on trust either.
 */
function valuesChecked(req: IncomingMessage): boolean {
  const server = (req.socket as { server?: { insecureHTTPParser?: boolean } } | null)?.server;
  if (!(server instanceof Server)) return false;
  return server.insecureHTTPParser === undefined ? !LENIENT_PROCESS : !server.insecureHTTPParser;
}

/** Header pairs from `rawHeaders`: `req.headers` drops repeated Host, Authorization, User-Agent. */
function headerPairs(raw: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** The n-th address from the right of X-Forwarded-For, counting `hops` trusted proxies. */
function forwardedFor(pairs: Array<[string, string]>, hops: number): string | undefined {
  const chain = pairs
    .filter(([n]) => n.toLowerCase() === "x-forwarded-for")
    .flatMap(([, v]) => v.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return undefined;
  return chain[Math.max(0, chain.length - hops)];
}

function forwardedProto(pairs: Array<[string, string]>): "http" | "https" | undefined {
  const values = pairs
    .filter(([n]) => n.toLowerCase() === "x-forwarded-proto")
    .flatMap(([, v]) => v.split(","));
  const last = values.at(-1)?.trim().toLowerCase();
  return last === "https" || last === "http" ? last : undefined;
}

/**
 * A pull reader over the request that, unlike its own async iterator, never destroys the socket.
 * A class: one is made per request, and nothing is set up until the app reads.
 */
class RequestBody implements AsyncIterable<Uint8Array> {
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    this.#req = req;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const req = this.#req;
    return { next: () => nextChunk(req) };
  }
}

/** The next chunk of the request body, waiting for it when none is buffered. */
function nextChunk(req: IncomingMessage): Promise<IteratorResult<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      req.off("readable", tryRead);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    function tryRead(): boolean {
      const chunk: Buffer | null = req.read();
      if (chunk !== null) {
        finish();
        resolve({ done: false, value: chunk });
        return true;
      }
      if (req.readableEnded) {
        finish();
        resolve({ done: true, value: undefined });
        return true;
      }
      return false;
    }
    const onEnd = () => {
      finish();
      resolve({ done: true, value: undefined });
    };
    const onError = (error: Error) => {
      finish();
      reject(error);
    };
    const onClose = () => {
      finish();
      if (req.complete) resolve({ done: true, value: undefined });
      else reject(new Error("the client went away while sending the request body"));
    };
    if (tryRead()) return;
    // Cut off before the app read (a refused body, a client gone): 'close' will not come again.
    if (req.destroyed) {
      onClose();
      return;
    }
    req.on("readable", tryRead);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/**
 * Incoming: a node:http request as a platform-neutral GatewayRequest. The raw `req.url` is kept as
 * the target (never parsed against a base URL: `//host/x` is a path).
 */
export function toGatewayRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeOptions,
  errors: ErrorStream,
  waitUntil: WaitUntil,
): GatewayRequest {
  const socket = req.socket;
  const headers = headerPairs(req.rawHeaders);
  const hops =
    options.trustProxy === true ? 1 : typeof options.trustProxy === "number" ? options.trustProxy : 0;
  let remoteAddr = plainAddress(socket.remoteAddress);
  let scheme: "http" | "https" = (socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  if (hops > 0) {
    remoteAddr = forwardedFor(headers, hops) ?? remoteAddr;
    scheme = forwardedProto(headers) ?? scheme;
  }
  const expectContinue =
    (req as IncomingMessage & { tsgiExpectContinue?: boolean }).tsgiExpectContinue === true;
  // Under Express or Connect: the target before the framework cut the mount point from req.url.
  const mounted = mountedRequest(req);
  return {
    method: req.method ?? "GET",
    target: mounted?.target ?? req.url ?? "/",
    headers,
    headerValuesChecked: valuesChecked(req),
    body: consumedBody(req) ?? new RequestBody(req),
    scheme,
    protocol: `HTTP/${req.httpVersion}`,
    serverName: plainAddress(socket.localAddress) ?? "localhost",
    serverPort: String(socket.localPort ?? ""),
    remoteAddr,
    remotePort: socket.remotePort === undefined ? undefined : String(socket.remotePort),
    scriptName: mounted?.scriptName ?? options.scriptName,
    errors,
    multithread: true,
    multiprocess: options.multiprocess ?? false,
    waitUntil,
    onFirstRead: expectContinue
      ? () => {
          if (!res.headersSent) res.writeContinue();
        }
      : undefined,
    extras: { "node.request": req },
    eventPaths: options.eventPaths ?? DEFAULT_EVENT_PATHS,
    strictHost: true,
    appTimeout: options.appTimeout,
  };
}

/**
 * Outgoing: the core's ResponseSink onto a ServerResponse. One writeHead with the raw header list
 * (Set-Cookie stays separate), backpressure through the write callbacks, and an abort signal when
 * the client goes away.
 *
 * @example
 * ```ts
 * await serveRequest(app, info, createResponseSink(req, res));
 * ```
 */
export function createResponseSink(
  req: IncomingMessage,
  res: ServerResponse,
  errors?: ErrorStream,
): ResponseSink {
  return new NodeResponseSink(req, res, errors);
}

/**
 * Whether nothing can be sent on `res` any more: it was destroyed, the gateway already answered in
 * its place (refusals.ts), or the socket's writing side is shut (Node ends it when a client
 * half-closes its side before the response, unless the server allows half-open connections).
 */
function unsendable(res: ServerResponse): boolean {
  return (
    res.destroyed ||
    (res as ServerResponse & { tsgiRefused?: boolean }).tsgiRefused === true ||
    res.socket?.writableEnded === true
  );
}

/**
 * A whole response up to this size is copied and handed to `end()` without waiting for the flush: a
 * copy of a small body costs less than the promise, listener and callback that waiting takes.
 */
const COPY_LIMIT = 16 * 1024;

/** A class rather than a closure per method: one is made per request. */
class NodeResponseSink implements ResponseSink {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #errors: ErrorStream | undefined;
  #controller: AbortController | undefined;
  #noted = false;

  constructor(req: IncomingMessage, res: ServerResponse, errors: ErrorStream | undefined) {
    this.#req = req;
    this.#res = res;
    this.#errors = errors;
  }

  /** True (and logged once) when the response cannot be sent; see {@link unsendable}. */
  #dropped(): boolean {
    const res = this.#res;
    if (!unsendable(res)) return false;
    if (this.#noted) return true;
    this.#noted = true;
    // A refusal was logged where it was answered. A client that closed its side (FIN) before the
    // answer loses it: say so, as node:http would not (a reset client simply went away).
    const refused = (res as ServerResponse & { tsgiRefused?: boolean }).tsgiRefused === true;
    if (!refused && !res.headersSent && this.#req.socket?.readableEnded) {
      this.#errors?.write(
        `tsgi: ${this.#req.method} ${JSON.stringify(this.#req.url)}: the client closed its side of the connection before the response; not sent\n`,
      );
    }
    if (!res.destroyed) res.destroy();
    return true;
  }

  /**
   * Made at the first read: the core reads it only when it iterates a body, so a whole response
   * (an array body) adds no AbortController and no 'close' listener.
   */
  get signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = (this.#controller = new AbortController());
    const res = this.#res;
    if (res.destroyed || res.closed) {
      if (!res.writableFinished) controller.abort(new Error("the client went away"));
    } else {
      res.once("close", () => {
        if (!res.writableFinished) controller.abort(new Error("the client went away"));
      });
    }
    return controller.signal;
  }

  #writeHead(status: number, reason: string, headers: HeaderList): void {
    const req = this.#req;
    const res = this.#res;
    if (
      (req as IncomingMessage & { tsgiExpectContinue?: boolean }).tsgiExpectContinue &&
      !req.complete &&
      req.readableLength === 0 &&
      !req.readableDidRead
    ) {
      // The client awaits 100 Continue we never sent: close rather than read a body it may not send.
      res.shouldKeepAlive = false;
    }
    // The flat [name, value, name, value...] form goes to the head as it is, without setHeader per
    // field; built by a loop, which is cheaper than Array#flat.
    const flat: string[] = [];
    for (const [name, value] of headers) flat.push(name, value);
    res.writeHead(status, reason, flat);
  }

  head({ status, reason, headers }: ResponseHead): void {
    if (this.#dropped()) return;
    this.#writeHead(status, reason, headers);
  }

  whole({ status, reason, headers }: ResponseHead, bytes: Uint8Array): void | Promise<void> {
    const res = this.#res;
    // The client went away before the response was ready: nothing to send it to.
    if (this.#dropped()) return;
    this.#writeHead(status, reason, headers);
    // writeHead then end(body): Node sends the head and the body in one write.
    if (bytes.byteLength <= COPY_LIMIT) {
      // As a latin-1 string (one code unit per byte, so the bytes go out exactly): that is the copy,
      // and Node then joins head and body into a single string and a single socket write, as it
      // does for `res.end(text)`, instead of gathering a head and a Buffer.
      res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"), "latin1");
      return;
    }
    // A large body is not copied: the promise resolves once it is flushed (or the client is gone),
    // after which the app may reuse its buffer.
    return new Promise<void>((resolve) => {
      res.once("close", resolve);
      res.end(bytes, resolve);
    });
  }

  chunk(bytes: Uint8Array): void | Promise<void> {
    const res = this.#res;
    if (this.#dropped()) return;
    // Not copied: the promise resolves once the bytes are flushed (the write callback), after
    // which the app may reuse its buffer. A copy per chunk left garbage that the GC collects late,
    // so RSS grew with the length of a streamed response.
    return new Promise<void>((resolve) => {
      const done = () => {
        res.off("close", done);
        resolve();
      };
      res.on("close", done);
      res.write(bytes, done);
    });
  }

  end(): void | Promise<void> {
    const res = this.#res;
    if (this.#dropped()) return;
    return new Promise<void>((resolve) => {
      res.once("close", resolve);
      res.end(resolve);
    });
  }

  abort(): void {
    // Headers went out and the body broke: cut the connection so the client sees a truncated
    // response instead of a complete one, but only after the bytes already written have left
    // (an empty write's callback runs once every earlier write is flushed).
    const res = this.#res;
    const socket = res.socket;
    if (!socket || socket.destroyed || !res.headersSent) {
      res.destroy();
      return;
    }
    socket.write(new Uint8Array(0), () => res.destroy());
  }
}
