/**
 * Running an app for one request: calling it, iterating its body, framing and closing. Every adapter
 * drives its platform through one {@link ResponseSink}, so the rules hold the same way everywhere.
 * @module
 */
import { InvalidChunkError, ProtocolError, describe } from "./errors.ts";
import { concatBytes } from "./bytes.ts";
import { logError } from "./error-stream.ts";
import { type ResponseSink, sendError } from "./sink.ts";
import { type ResponseHead, ResponseState, isBodyless } from "./start-response.ts";
import type { App, Body, Environ, ErrorStream } from "./types.ts";

const EMPTY = new Uint8Array(0);
const ABORTED = Symbol("aborted");

function isIterable(body: unknown): body is Body {
  return (
    body != null &&
    typeof body !== "string" &&
    (typeof (body as Body & object)[Symbol.iterator as keyof object] === "function" ||
      typeof (body as Body & object)[Symbol.asyncIterator as keyof object] === "function")
  );
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
export function runApp(app: App, environ: Environ, sink: ResponseSink): Promise<void> {
  return startApp(app, environ, sink) ?? SETTLED;
}

/**
 * {@link runApp} for adapters on the hot path: returns `undefined` when the response was handed to
 * the sink without waiting on anything (a synchronous app returning an array of chunks, sent through
 * `sink.whole`), so the caller need not spend a turn awaiting an already settled promise.
 * @internal
 */
export function startApp(app: App, environ: Environ, sink: ResponseSink): Promise<void> | undefined {
  return new AppRun(environ, sink).start(app);
}

export const SETTLED: Promise<void> = Promise.resolve();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * One request's run of the app: calls it, then sends its body whole (an array of chunks and no
 * write(): {@link AppRun.start} returns without an `await`) or iterates it. The response's state is
 * the {@link ResponseState}'s alone; this class keeps only the framing of the bytes it sends.
 */
class AppRun {
  readonly #environ: Environ;
  readonly #sink: ResponseSink;
  readonly #errors: ErrorStream;
  readonly #method: string;
  readonly #state: ResponseState;
  #sentBytes = 0;
  #overflow = false;
  #bodyless = false;
  #lengthHint: number | undefined;
  #queue: Promise<void> = SETTLED;
  // write() calls not yet done: while none is, a body chunk need not queue behind them.
  #writesInFlight = 0;
  #body: Body | undefined;
  #iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array> | undefined;
  #finished = false;
  #nextPending = false;
  #abortWait: Promise<typeof ABORTED> | undefined;
  // Read from the sink only on the general path: a sink may make its AbortController lazily.
  #signal: AbortSignal | undefined;

  constructor(environ: Environ, sink: ResponseSink) {
    this.#environ = environ;
    this.#sink = sink;
    this.#errors = environ["tsgi.errors"];
    this.#method = environ.REQUEST_METHOD;
    this.#state = new ResponseState((chunk) => this.#write(chunk));
  }

  /** Calls the app; returns undefined when the whole response went out synchronously. */
  start(app: App): Promise<void> | undefined {
    let result: Body | Promise<Body>;
    try {
      result = app(this.#environ, this.#state.startResponse);
    } catch (error) {
      return this.#fail(error);
    }
    // An async app: one await, then the same steps.
    if (isThenable(result)) return this.#afterPromise(result);
    return this.#proceed(result);
  }

  async #afterPromise(result: PromiseLike<Body>): Promise<void> {
    let body: Body;
    try {
      body = await result;
    } catch (error) {
      return this.#fail(error);
    }
    return this.#proceed(body);
  }

  /** The body is known: send it whole when it can be, else iterate it. */
  #proceed(body: Body): Promise<void> | undefined {
    const state = this.#state;
    const sink = this.#sink;
    try {
      this.#body = body;
      if (!isIterable(body)) {
        throw new ProtocolError(
          `the app must return an iterable of Uint8Array chunks, got ${body === null ? "null" : typeof body}`,
        );
      }
      if (!state.committed) this.#lengthHint = knownLength(body);
      const lengthHint = this.#lengthHint;
      if (lengthHint !== undefined && sink.whole && state.head !== undefined) {
        const declared = state.declaredLength;
        // A declared length that the body does not match takes the general path, which frames it.
        if (declared === undefined || declared === lengthHint) {
          state.close();
          const head = state.deliver(lengthHint)!;
          const bodyless = isBodyless(this.#method, head.status);
          this.#bodyless = bodyless;
          const bytes = bodyless ? EMPTY : concatBytes(body as Uint8Array[], lengthHint);
          // PEP 3333: close() once the response is sent; the sink copies or sends the bytes first,
          // so an app may recycle its buffer in close().
          const sent = this.#sendWhole(head, bytes);
          if (sent) return sent.then(() => this.#cleanup());
          return this.#cleanup();
        }
      }
    } catch (error) {
      return this.#fail(error);
    }
    return this.#iterate();
  }

  #sendWhole(head: ResponseHead, bytes: Uint8Array): Promise<void> | undefined {
    try {
      const sent = this.#sink.whole!(head, bytes);
      if (isThenable(sent)) return Promise.resolve(sent).catch((error: unknown) => this.#fail(error));
    } catch (error) {
      return this.#fail(error);
    }
    return undefined;
  }

  /** A write() call: queued behind earlier writes, emitted in order. */
  #write(chunk: Uint8Array): Promise<void> {
    if (this.#state.head === undefined) throw new ProtocolError("write() called before startResponse");
    this.#writesInFlight++;
    const writeDone = () => {
      this.#writesInFlight--;
    };
    const run = this.#queue.then(() => this.#emit(chunk));
    this.#queue = run.then(writeDone, writeDone);
    return run;
  }

  /** Sends the head to the sink, the first time only. */
  async #sendHead(): Promise<void> {
    const head = this.#state.deliver(this.#lengthHint);
    if (head === undefined) return;
    this.#bodyless = isBodyless(this.#method, head.status);
    await this.#sink.head(head);
  }

  async #emit(chunk: Uint8Array): Promise<void> {
    await this.#sendHead();
    if (this.#bodyless || this.#overflow) return;
    const declared = this.#state.declaredLength;
    if (declared !== undefined) {
      const room = declared - this.#sentBytes;
      if (chunk.byteLength > room) {
        this.#overflow = true;
        chunk = chunk.subarray(0, room);
        logError(
          this.#errors,
          `response body is longer than its Content-Length (${declared}); the rest was not sent`,
        );
        if (chunk.byteLength === 0) return;
      }
    }
    this.#sentBytes += chunk.byteLength;
    await this.#sink.chunk(chunk);
  }

  /** Listened for at the first async next() only: a sync body (an array) never waits on the client. */
  #aborted(): Promise<typeof ABORTED> {
    const signal = this.#signal!;
    return (this.#abortWait ??= new Promise((resolve) => {
      if (signal.aborted) resolve(ABORTED);
      else signal.addEventListener("abort", () => resolve(ABORTED), { once: true });
    }));
  }

  /** The general path: iterate the body chunk by chunk, then end (or abort) the response. */
  async #iterate(): Promise<void> {
    const state = this.#state;
    const sink = this.#sink;
    const errors = this.#errors;
    const signal = (this.#signal = sink.signal);
    try {
      const body = this.#body!;
      const iterator = (this.#iterator =
        Symbol.asyncIterator in body
          ? (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
          : (body as Iterable<Uint8Array>)[Symbol.iterator]());
      for (;;) {
        if (signal?.aborted) break;
        const pending = iterator.next();
        let result: IteratorResult<Uint8Array> | typeof ABORTED;
        if (signal && pending instanceof Promise) {
          this.#nextPending = true;
          result = await Promise.race([pending, this.#aborted()]);
          if (result === ABORTED) break;
          this.#nextPending = false;
        } else if (typeof (pending as { then?: unknown }).then === "function") result = await pending;
        else result = pending as IteratorResult<Uint8Array>; // a sync iterator
        if (result.done) {
          this.#finished = true;
          break;
        }
        const chunk: unknown = result.value;
        if (!(chunk instanceof Uint8Array)) throw new InvalidChunkError(chunk);
        if (chunk.byteLength === 0) continue;
        if (state.head === undefined)
          throw new ProtocolError("the body yielded data before startResponse was called");
        state.commit();
        // Chunks and write() calls go out in the order they were made: a chunk waits behind any
        // write() still in flight, and a later write() behind it.
        const run =
          this.#writesInFlight === 0 ? this.#emit(chunk) : this.#queue.then(() => this.#emit(chunk));
        this.#queue = run.catch(() => undefined);
        await run;
        if (this.#overflow) break;
      }
      state.close();
      if (this.#writesInFlight > 0) await this.#queue;
      if (signal?.aborted) {
        await this.#cleanup();
        sink.abort(signal.reason);
        return;
      }
      if (state.head === undefined) throw new ProtocolError("the app never called startResponse");
      if (state.phase !== "delivered") {
        // The end of the body sends the headers of an empty (or wholly written) body.
        if (this.#lengthHint === undefined && this.#sentBytes === 0) this.#lengthHint = 0;
        await this.#sendHead();
      }
      await this.#cleanup();
      const declared = state.declaredLength;
      if (!this.#bodyless && declared !== undefined && this.#sentBytes < declared) {
        logError(
          errors,
          `response body is shorter than its Content-Length (${this.#sentBytes} of ${declared} bytes); connection cut`,
        );
        sink.abort(new Error("response shorter than Content-Length"));
        return;
      }
      await sink.end();
    } catch (error) {
      return this.#fail(error);
    }
  }

  /** An error from the app or the body: a 500 before the headers went out, a cut-off after. */
  async #fail(error: unknown): Promise<void> {
    const state = this.#state;
    const sink = this.#sink;
    const errors = this.#errors;
    const method = this.#method;
    state.close();
    await this.#cleanup();
    if (sink.signal?.aborted) {
      // The client is gone (or the gateway answered in the app's place): nothing more can be sent,
      // and a read failing under the app because its request was cut off is no app error.
      logError(
        errors,
        `${method} ${String(this.#environ.PATH_INFO)}: the request was cut off or the client went away; no response sent (${error instanceof Error ? error.message : describe(error)})`,
      );
      await this.#queue;
      sink.abort(error);
      return;
    }
    if (!state.committed) {
      logError(errors, `error in app for ${method} ${String(this.#environ.PATH_INFO)}`, error);
      try {
        await sendError(sink, 500, method === "HEAD");
      } catch (sinkError) {
        logError(errors, "could not send the error response", sinkError);
        sink.abort(sinkError);
      }
    } else {
      logError(
        errors,
        `error after the headers were sent for ${method} ${String(this.#environ.PATH_INFO)}; response cut off`,
        error,
      );
      await this.#queue;
      sink.abort(error);
    }
  }

  /**
   * Calls the iterator's return() (on early exit) and the body's close(), each at most once.
   * Returns undefined when neither had anything to wait for.
   */
  #cleanup(): Promise<void> | undefined {
    const it = this.#iterator;
    const b = this.#body;
    this.#iterator = undefined;
    this.#body = undefined;
    const errors = this.#errors;
    let returned: unknown;
    if (it && !this.#finished && typeof it.return === "function") {
      try {
        returned = it.return();
        // An async generator still inside next() queues return(): don't wait for it.
        if (this.#nextPending) {
          Promise.resolve(returned).catch((e: unknown) => logError(errors, "error in body return()", e));
          returned = undefined;
        }
      } catch (error) {
        logError(errors, "error in body return()", error);
      }
    }
    if (isThenable(returned)) {
      return Promise.resolve(returned).then(
        () => this.#close(b),
        (error: unknown) => {
          logError(errors, "error in body return()", error);
          return this.#close(b);
        },
      );
    }
    return this.#close(b);
  }

  #close(b: Body | undefined): Promise<void> | undefined {
    if (!b || typeof b.close !== "function") return undefined;
    const errors = this.#errors;
    try {
      const closed = b.close();
      if (isThenable(closed)) {
        return Promise.resolve(closed).then(undefined, (error: unknown) =>
          logError(errors, "error in body close()", error),
        );
      }
    } catch (error) {
      logError(errors, "error in body close()", error);
    }
    return undefined;
  }
}
