/**
 * Running an app for one request: calling it, iterating its body, framing and closing. Every adapter
 * drives its platform through one {@link ResponseSink}, so the rules hold the same way everywhere.
 * @module
 */
import { BadRequestError, InvalidChunkError, ProtocolError } from "./errors.ts";
import { buildEnviron } from "./environ.ts";
import { getHeader } from "./headers.ts";
import { logError } from "./input.ts";
import { type ResponseHead, ResponseState } from "./start-response.ts";
import type { App, Body, Environ, ErrorStream, RequestInfo } from "./types.ts";

export type { ResponseHead } from "./start-response.ts";

/**
 * What an adapter gives the core to send a response on its platform.
 *
 * The core calls `head` once, then `chunk` for each non-empty chunk (awaiting each), then exactly
 * one of `end` or `abort`.
 */
export interface ResponseSink {
  /** Send (or fix) the status and headers. */
  head(head: ResponseHead): void | Promise<void>;
  /** Hand on one non-empty chunk; copy it or send it fully before resolving (apps may reuse buffers). */
  chunk(bytes: Uint8Array): void | Promise<void>;
  /** The response is complete. */
  end(): void | Promise<void>;
  /** Cut the response off: headers went out and the body cannot be completed. */
  abort(reason: unknown): void;
  /** Aborted when the client goes away: iteration stops and the body is closed. */
  signal?: AbortSignal | undefined;
  /**
   * Optional: send a whole response in one call, instead of `head`, `chunk`... `end`. The core uses
   * it when the app returned an array of chunks and called no write(): the body is then known in
   * full, and one call spares a turn of the event loop per chunk and lets the platform send it in
   * one piece (one writeHead and end, one Response). The same copy rule as `chunk` applies.
   */
  whole?(head: ResponseHead, body: Uint8Array): void | Promise<void>;
}

/** Statuses that never carry body bytes (RFC 9110 6.4.1). */
function isBodyless(method: string, status: number): boolean {
  return method === "HEAD" || status < 200 || status === 204 || status === 304;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const ABORTED = Symbol("aborted");

/** The reason phrases of the statuses the gateway itself answers with. */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  413: "Content Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

/**
 * A minimal text response for a status the gateway answers itself (400, 500...): no internals.
 *
 * @example
 * ```ts
 * await sendError(sink, 400);
 * ```
 */
export async function sendError(sink: ResponseSink, status: number, headOnly = false): Promise<void> {
  const reason = REASONS[status] ?? "Error";
  const bytes = encoder.encode(`${status} ${reason}\n`);
  await sink.head({
    status,
    reason,
    headers: [
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Content-Length", String(bytes.byteLength)],
    ],
  });
  if (!headOnly) await sink.chunk(bytes);
  await sink.end();
}

function isIterable(body: unknown): body is Body {
  return (
    body != null &&
    typeof body !== "string" &&
    (typeof (body as Body & object)[Symbol.iterator as keyof object] === "function" ||
      typeof (body as Body & object)[Symbol.asyncIterator as keyof object] === "function")
  );
}

/** The chunks of an array body as one: the chunk itself when there is one. */
function joinChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The total length of a body whose chunks are all known up front (an array of chunks). */
function knownLength(body: Body): number | undefined {
  if (!Array.isArray(body)) return undefined;
  let total = 0;
  for (const chunk of body as unknown[]) {
    if (!(chunk instanceof Uint8Array)) return undefined;
    total += chunk.byteLength;
  }
  return total;
}

/**
 * Calls `app` for one environ and sends its response through `sink`. Never rejects: an error before
 * the headers went out becomes a 500 without internals, an error after aborts the response; either
 * way the trace goes to `tsgi.errors`. The body's iterator `return()` (on early exit) and `close()`
 * are each called exactly once.
 *
 * @example
 * ```ts
 * await runApp(app, buildEnviron(info), sink);
 * ```
 */
export async function runApp(app: App, environ: Environ, sink: ResponseSink): Promise<void> {
  const errors: ErrorStream = environ["tsgi.errors"];
  const method = environ.REQUEST_METHOD;
  let declared: number | undefined; // Content-Length the app declared
  let sentBytes = 0;
  let overflow = false;
  let bodyless = false;
  let lengthHint: number | undefined;
  let queue: Promise<void> = Promise.resolve();
  // write() calls not yet done: while none is, a body chunk need not queue behind them.
  let writesInFlight = 0;
  const writeDone = () => {
    writesInFlight--;
  };

  const sendHead = async (): Promise<void> => {
    const head = state.head!;
    bodyless = isBodyless(method, head.status);
    const cl = getHeader(head.headers, "content-length");
    if (cl !== undefined) declared = Number(cl);
    else if (lengthHint !== undefined && !(head.status < 200 || head.status === 204 || head.status === 304)) {
      // A body whose length is known up front gets an exact Content-Length (PEP 3333, "Handling the
      // Content-Length Header"), so the platform need not chunk it.
      head.headers.push(["Content-Length", String(lengthHint)]);
    }
    await sink.head(head);
  };

  const emit = async (chunk: Uint8Array): Promise<void> => {
    if (!headSent) {
      headSent = true;
      await sendHead();
    }
    if (bodyless || overflow) return;
    if (declared !== undefined) {
      const room = declared - sentBytes;
      if (chunk.byteLength > room) {
        overflow = true;
        chunk = chunk.subarray(0, room);
        logError(
          errors,
          `response body is longer than its Content-Length (${declared}); the rest was not sent`,
        );
        if (chunk.byteLength === 0) return;
      }
    }
    sentBytes += chunk.byteLength;
    await sink.chunk(chunk);
  };

  let headSent = false;
  const state = new ResponseState((chunk) => {
    if (state.head === undefined) throw new ProtocolError("write() called before startResponse");
    writesInFlight++;
    const run = queue.then(() => emit(chunk));
    queue = run.then(writeDone, writeDone);
    return run;
  });

  let body: Body | undefined;
  let iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array> | undefined;
  let finished = false;
  let nextPending = false;
  let abortWait: Promise<typeof ABORTED> | undefined;
  const signal = sink.signal;
  // Listened for at the first async next() only: a sync body (an array) never waits on the client.
  const aborted = (): Promise<typeof ABORTED> =>
    (abortWait ??= new Promise((resolve) => {
      if (signal!.aborted) resolve(ABORTED);
      else signal!.addEventListener("abort", () => resolve(ABORTED), { once: true });
    }));

  try {
    body = await app(environ, state.startResponse);
    if (!isIterable(body)) {
      throw new ProtocolError(
        `the app must return an iterable of Uint8Array chunks, got ${body === null ? "null" : typeof body}`,
      );
    }
    if (!state.sent) lengthHint = knownLength(body);
    if (lengthHint !== undefined && sink.whole && state.head !== undefined && !signal?.aborted) {
      const head = state.head;
      const cl = getHeader(head.headers, "content-length");
      // A declared length that the body does not match takes the general path, which frames it.
      if (cl === undefined || Number(cl) === lengthHint) {
        headSent = true;
        state.sent = true;
        state.closed = true;
        bodyless = isBodyless(method, head.status);
        if (cl === undefined && !(head.status < 200 || head.status === 204 || head.status === 304)) {
          head.headers.push(["Content-Length", String(lengthHint)]);
        }
        const bytes = bodyless ? EMPTY : joinChunks(body as Uint8Array[], lengthHint);
        await cleanup();
        await sink.whole(head, bytes);
        return;
      }
    }
    iterator =
      Symbol.asyncIterator in body
        ? (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
        : (body as Iterable<Uint8Array>)[Symbol.iterator]();
    for (;;) {
      if (signal?.aborted) break;
      const pending = iterator.next();
      let result: IteratorResult<Uint8Array> | typeof ABORTED;
      if (signal && pending instanceof Promise) {
        nextPending = true;
        result = await Promise.race([pending, aborted()]);
        if (result === ABORTED) break;
        nextPending = false;
      } else if (typeof (pending as { then?: unknown }).then === "function") result = await pending;
      else result = pending as IteratorResult<Uint8Array>; // a sync iterator: no tick spent waiting
      if (result.done) {
        finished = true;
        break;
      }
      const chunk: unknown = result.value;
      if (!(chunk instanceof Uint8Array)) throw new InvalidChunkError(chunk);
      if (chunk.byteLength === 0) continue;
      if (state.head === undefined)
        throw new ProtocolError("the body yielded data before startResponse was called");
      state.sent = true;
      // Straight to emit when no write() is queued (no tick spent); queue stays behind it for a
      // write() made meanwhile.
      const run = writesInFlight === 0 ? emit(chunk) : queue.then(() => emit(chunk));
      queue = run.catch(() => undefined);
      await run;
      if (overflow) break;
    }
    state.closed = true;
    if (writesInFlight > 0) await queue;
    if (signal?.aborted) {
      await cleanup();
      sink.abort(signal.reason);
      return;
    }
    if (state.head === undefined) throw new ProtocolError("the app never called startResponse");
    if (!headSent) {
      // The end of the body sends the headers of an empty (or wholly written) body.
      if (lengthHint === undefined && sentBytes === 0) lengthHint = 0;
      headSent = true;
      state.sent = true;
      await sendHead();
    }
    await cleanup();
    if (!bodyless && declared !== undefined && sentBytes < declared) {
      logError(
        errors,
        `response body is shorter than its Content-Length (${sentBytes} of ${declared} bytes); connection cut`,
      );
      sink.abort(new Error("response shorter than Content-Length"));
      return;
    }
    await sink.end();
  } catch (error) {
    state.closed = true;
    await cleanup();
    if (!headSent && !state.sent) {
      logError(errors, `error in app for ${method} ${String(environ.PATH_INFO)}`, error);
      headSent = true;
      try {
        await sendError(sink, 500, method === "HEAD");
      } catch (sinkError) {
        logError(errors, "could not send the error response", sinkError);
        sink.abort(sinkError);
      }
    } else {
      logError(
        errors,
        `error after the headers were sent for ${method} ${String(environ.PATH_INFO)}; response cut off`,
        error,
      );
      await queue;
      sink.abort(error);
    }
  }

  async function cleanup(): Promise<void> {
    const it = iterator;
    const b = body;
    iterator = undefined;
    body = undefined;
    if (it && !finished && typeof it.return === "function") {
      try {
        const done = it.return();
        // An async generator still inside next() queues return(): don't wait for it.
        if (nextPending)
          Promise.resolve(done).catch((e: unknown) => logError(errors, "error in body return()", e));
        else await done;
      } catch (error) {
        logError(errors, "error in body return()", error);
      }
    }
    if (b && typeof b.close === "function") {
      try {
        await b.close();
      } catch (error) {
        logError(errors, "error in body close()", error);
      }
    }
  }
}

/**
 * Builds the environ for `info` and runs `app`; a request that cannot be served gets its 4xx
 * (logged to `tsgi.errors`) and the app is not called.
 *
 * @example
 * ```ts
 * await serveRequest(app, info, sink);
 * ```
 */
export async function serveRequest(app: App, info: RequestInfo, sink: ResponseSink): Promise<void> {
  let environ: Environ;
  try {
    environ = buildEnviron(info);
  } catch (error) {
    if (error instanceof BadRequestError) {
      logError(info.errors, `rejected ${info.method} request: ${error.message}`);
      await sendError(sink, error.status, info.method === "HEAD");
      return;
    }
    logError(info.errors, "could not build the environ", error);
    await sendError(sink, 500);
    return;
  }
  await runApp(app, environ, sink);
}

/**
 * Wraps a body so that `close()` also runs `cleanups` (in order, each once, errors collected).
 *
 * @example
 * ```ts
 * const file = await open(path);
 * return closing(chunksOf(file), () => file.close());
 * ```
 */
export function closing(body: Body, ...cleanups: Array<() => unknown>): Body {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const failures: unknown[] = [];
    for (const fn of [() => body.close?.(), ...cleanups]) {
      try {
        await fn();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, "several close() cleanups failed");
  };
  // An array stays an array, so the gateway still knows the body's length up front.
  if (Array.isArray(body)) return Object.assign([...(body as Uint8Array[])], { close });
  if (Symbol.asyncIterator in body) {
    return {
      [Symbol.asyncIterator]: () => (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](),
      close,
    };
  }
  return { [Symbol.iterator]: () => (body as Iterable<Uint8Array>)[Symbol.iterator](), close };
}
