/**
 * The app timeout (`GatewayRequest.appTimeout`): a deadline for the whole response, the same on every
 * platform. Before the headers went out the client gets a `504 Gateway Timeout`; after, the response
 * is cut off; either way the reason goes to `tsgi.errors`, the app's iteration stops, and its body is
 * closed once (by the run, when the app hands it over). Platform-neutral: only `setTimeout`.
 * @module
 */
import { logError } from "./error-stream.ts";
import { type ResponseHead, type ResponseSink, sendError } from "./sink.ts";
import type { ErrorStream } from "./types.ts";

/** Where the response stands, as far as the deadline cares. */
type Phase = "waiting" | "sending" | "ended" | "timed-out";

/**
 * A sink in front of the platform's that enforces the deadline: once it passes, whatever the app
 * still sends is dropped, and the run sees its signal aborted (as when a client goes away).
 */
class DeadlineSink implements ResponseSink {
  readonly #inner: ResponseSink;
  readonly #controller = new AbortController();
  #signal: AbortSignal | undefined;
  #phase: Phase = "waiting";
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves once the deadline's own answer (504 or cut-off) has been given. */
  readonly expired: Promise<void>;
  #expire: (() => void) | undefined;
  whole?: (head: ResponseHead, body: Uint8Array) => void | Promise<void>;

  constructor(inner: ResponseSink, ms: number, errors: ErrorStream, what: () => string, headOnly: boolean) {
    this.#inner = inner;
    this.expired = new Promise((resolve) => {
      this.#expire = resolve;
    });
    if (inner.whole) {
      this.whole = (head, body) => {
        if (this.#phase === "timed-out") return;
        this.#phase = "sending";
        const sent = inner.whole!(head, body);
        this.#finish();
        return sent;
      };
    }
    this.#timer = setTimeout(() => void this.#onDeadline(ms, errors, what(), headOnly), ms);
  }

  async #onDeadline(ms: number, errors: ErrorStream, what: string, headOnly: boolean): Promise<void> {
    const phase = this.#phase;
    if (phase === "ended" || phase === "timed-out") return;
    this.#phase = "timed-out";
    this.#controller.abort(new Error(`the app did not finish within ${ms} ms`));
    try {
      if (phase === "waiting") {
        logError(errors, `${what}: the app did not answer within ${ms} ms (appTimeout); answered 504`);
        await sendError(this.#inner, 504, headOnly);
      } else {
        logError(errors, `${what}: the app did not finish within ${ms} ms (appTimeout); response cut off`);
        this.#inner.abort(new Error("app timeout"));
      }
    } catch (error) {
      logError(errors, "could not send the timeout response", error);
    }
    this.#expire?.();
  }

  #finish(): void {
    if (this.#phase !== "timed-out") this.#phase = "ended";
    clearTimeout(this.#timer);
  }

  /** Called when the run is over (it may end without end() or abort(): a dropped response). */
  settle(): void {
    this.#finish();
  }

  get signal(): AbortSignal {
    if (this.#signal) return this.#signal;
    const inner = this.#inner.signal;
    this.#signal = inner ? AbortSignal.any([inner, this.#controller.signal]) : this.#controller.signal;
    return this.#signal;
  }

  head(head: ResponseHead): void | Promise<void> {
    if (this.#phase === "timed-out") return;
    this.#phase = "sending";
    return this.#inner.head(head);
  }

  chunk(bytes: Uint8Array): void | Promise<void> {
    if (this.#phase === "timed-out") return;
    return this.#inner.chunk(bytes);
  }

  end(): void | Promise<void> {
    if (this.#phase === "timed-out") return;
    this.#finish();
    return this.#inner.end();
  }

  abort(reason: unknown): void {
    if (this.#phase === "timed-out") return;
    this.#finish();
    this.#inner.abort(reason);
  }
}

/**
 * Runs `serve(sink)` under a deadline of `ms` milliseconds (see `GatewayRequest.appTimeout`). The
 * promise returned settles when the response is over, or as soon as the deadline's own answer went
 * out: a hung app no longer holds the connection (its run goes on in the background, and its body
 * is closed when it returns one). `undefined` when `serve` finished synchronously.
 *
 * @example
 * ```ts
 * withDeadline(sink, 30_000, errors, () => "GET /slow", false, (s) => startApp(app, environ, s));
 * ```
 */
export function withDeadline(
  sink: ResponseSink,
  ms: number,
  errors: ErrorStream,
  what: () => string,
  headOnly: boolean,
  serve: (sink: ResponseSink) => Promise<void> | undefined,
): Promise<void> | undefined {
  const timed = new DeadlineSink(sink, ms, errors, what, headOnly);
  const run = serve(timed);
  if (run === undefined) {
    timed.settle();
    return undefined;
  }
  const settled = run.finally(() => timed.settle());
  return Promise.race([settled, timed.expired]);
}
