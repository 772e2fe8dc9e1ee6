/**
 * Node mapping as pure functions: incoming (IncomingMessage to RequestInfo) and outgoing
 * (the core's ResponseSink onto ServerResponse).
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createErrorStream } from "../../core/index.ts";
import type { ErrorStream, HeaderList, RequestInfo, ResponseSink, WaitUntil } from "../../core/index.ts";
import type { NodeOptions } from "../node.ts";

/** `tsgi.errors` on process.stderr, written through whole (stderr needs no line buffering). */
export function nodeErrorStream(): ErrorStream {
  return createErrorStream((line) => process.stderr.write(`${line}\n`));
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is reported as `127.0.0.1`, as elsewhere. */
function plainAddress(address: string | undefined): string | undefined {
  return address?.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
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

/** A pull reader over the request that, unlike its own async iterator, never destroys the socket. */
function readBody(req: IncomingMessage): AsyncIterable<Uint8Array> {
  const next = (): Promise<IteratorResult<Uint8Array>> =>
    new Promise((resolve, reject) => {
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
      req.on("readable", tryRead);
      req.on("end", onEnd);
      req.on("error", onError);
      req.on("close", onClose);
    });
  return { [Symbol.asyncIterator]: () => ({ next }) };
}

/**
 * Incoming: a node:http request as a platform-neutral RequestInfo. The raw `req.url` is kept as
 * the target (never parsed against a base URL: `//host/x` is a path).
 */
export function toRequestInfo(
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeOptions,
  errors: ErrorStream,
  waitUntil: WaitUntil,
): RequestInfo {
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
  return {
    method: req.method ?? "GET",
    target: req.url ?? "/",
    headers,
    body: readBody(req),
    scheme,
    protocol: `HTTP/${req.httpVersion}`,
    serverName: plainAddress(socket.localAddress) ?? "localhost",
    serverPort: String(socket.localPort ?? ""),
    remoteAddr,
    remotePort: socket.remotePort === undefined ? undefined : String(socket.remotePort),
    scriptName: options.scriptName,
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
  };
}

/**
 * Outgoing: the core's ResponseSink onto a ServerResponse. One writeHead with the raw header list
 * (Set-Cookie stays separate), chunks copied (apps may reuse buffers), backpressure through 'drain',
 * and an abort signal when the client goes away.
 */
export function createResponseSink(req: IncomingMessage, res: ServerResponse): ResponseSink {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new Error("the client went away"));
  });
  const writeHead = (status: number, reason: string, headers: HeaderList): void => {
    if (res.destroyed) return;
    if (
      (req as IncomingMessage & { tsgiExpectContinue?: boolean }).tsgiExpectContinue &&
      !req.complete &&
      req.readableLength === 0 &&
      !req.readableDidRead
    ) {
      // The client awaits 100 Continue we never sent: close rather than read a body it may not send.
      res.shouldKeepAlive = false;
    }
    res.writeHead(status, reason, headers.flat());
  };
  return {
    signal: controller.signal,
    head({ status, reason, headers }) {
      writeHead(status, reason, headers);
    },
    whole({ status, reason, headers }, bytes) {
      if (res.destroyed) return;
      writeHead(status, reason, headers);
      // writeHead then end(body): Node sends the head and the body in one write. The bytes need no
      // copy: the promise resolves only once they are flushed.
      return new Promise<void>((resolve) => {
        res.once("close", resolve);
        res.end(bytes, resolve);
      });
    },
    chunk(bytes) {
      if (res.destroyed) return;
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
    },
    end() {
      if (res.destroyed) return;
      return new Promise<void>((resolve) => {
        res.once("close", resolve);
        res.end(resolve);
      });
    },
    abort() {
      // Headers went out and the body broke: cut the connection so the client sees a truncated
      // response instead of a complete one, but only after the bytes already written have left
      // (an empty write's callback runs once every earlier write is flushed).
      const socket = res.socket;
      if (!socket || socket.destroyed || !res.headersSent) {
        res.destroy();
        return;
      }
      socket.write(new Uint8Array(0), () => res.destroy());
    },
  };
}
