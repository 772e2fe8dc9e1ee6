/**
 * Fetch mapping, outgoing: the core's ResponseSink onto a Fetch `Response` whose body streams with
 * backpressure. Only Fetch and Streams globals (plus workerd's FixedLengthStream where it exists).
 * @module
 */
import { gatewayAnswer, logError } from "../../core/gateway.ts";
import type { ErrorStream, ResponseHead, ResponseSink } from "../../core/gateway.ts";

/** Statuses whose Response must have a null body (Fetch "null body status"), and HEAD. */
function isNullBody(method: string, status: number): boolean {
  return method === "HEAD" || status === 204 || status === 205 || status === 304;
}

/**
 * Whether `new Response(bytes)` copies the bytes itself, as the Fetch standard says ("extract a
 * body"): workerd and Node's undici do (checked by test/workerd/response-copy.test.ts and
 * test/fetch/fetch.test.ts), so a copy of our own would be a second one. Other runtimes get the
 * copy, so that an app may reuse its buffer whatever the runtime does.
 */
const COPIES_BODY = copiesBody(globalThis.navigator?.userAgent);

function copiesBody(userAgent: string | undefined): boolean {
  return userAgent === "Cloudflare-Workers" || (userAgent?.startsWith("Node.js/") ?? false);
}

/** The Content-Length of a checked head (the core lets through at most one). */
function contentLengthOf(headers: ResponseHead["headers"]): string | undefined {
  for (const [name, value] of headers) {
    if (name.length === 14 && name.toLowerCase() === "content-length") return value;
  }
  return undefined;
}

/** The gateway's own answer for `status`, as a Response. */
function answerResponse(status: number): Response {
  const { head, body } = gatewayAnswer(status);
  return new Response(body, { status, statusText: head.reason, headers: head.headers });
}

/** The error a cut-off body stream fails with: generic, the app's error went to tsgi.errors only. */
const CUT_OFF = "tsgi: the response was cut off; the reason is in tsgi.errors";

/**
 * Resolves after a turn of the event loop. Before failing a body stream, the runtime must get the
 * chance to write out what it already read: workerd drops the whole response (headers included)
 * when its stream fails while the last write is still pending, and the client then sees no
 * response at all instead of a cut-off one.
 */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A response body the core writes into and the client reads from, one chunk at a time. */
interface BodyChannel {
  readable: ReadableStream<Uint8Array>;
  /** Resolves once the consumer has taken `bytes` (backpressure); never rejects. */
  write(bytes: Uint8Array): Promise<void>;
  close(): void;
  /** Fails the stream (after the consumer took what was written), so the client sees a cut-off. */
  error(): void;
}

/**
 * A pull-based stream with a high-water mark of 0: a write waits for the consumer's read, so the
 * app is never iterated ahead of the client. Runs on every Fetch runtime.
 */
function pullChannel(onCancel: (reason: unknown) => void): BodyChannel {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let demand: (() => void) | undefined; // resolves the pending pull() once a chunk is enqueued
  let wanted: (() => void) | undefined; // wakes a write waiting for the consumer (or its cancel)
  const waitForDemand = async (): Promise<void> => {
    if (!controller || demand) return;
    await new Promise<void>((resolve) => {
      wanted = resolve;
    });
    wanted = undefined;
    return waitForDemand();
  };
  const settlePull = () => {
    const resolve = demand;
    demand = undefined;
    resolve?.();
  };
  const readable = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        return new Promise<void>((resolve) => {
          demand = resolve;
          wanted?.();
        });
      },
      cancel(reason) {
        controller = undefined;
        onCancel(reason);
        wanted?.();
      },
    },
    { highWaterMark: 0 },
  );
  return {
    readable,
    async write(bytes) {
      await waitForDemand();
      controller?.enqueue(bytes);
      settlePull();
    },
    close() {
      controller?.close();
      controller = undefined;
      settlePull();
    },
    error() {
      void waitForDemand()
        .then(nextTurn)
        .then(() => {
          controller?.error(new Error(CUT_OFF));
          controller = undefined;
          settlePull();
        });
    },
  };
}

type FixedLengthStreamClass = new (length: number) => TransformStream<Uint8Array, Uint8Array>;

/**
 * workerd sends `Content-Length` only for a `FixedLengthStream` body (any other stream goes out
 * chunked), so a declared length uses one where the runtime has it. Its writes wait for the reader.
 */
function fixedLengthChannel(
  FixedLength: FixedLengthStreamClass,
  length: number,
  onCancel: (reason: unknown) => void,
): BodyChannel {
  const { readable, writable } = new FixedLength(length);
  const writer = writable.getWriter();
  writer.closed.catch(onCancel);
  return {
    readable,
    write: (bytes) => writer.write(bytes).catch(onCancel),
    close: () => void writer.close().catch(onCancel),
    error: () =>
      void nextTurn()
        .then(() => writer.abort(new Error(CUT_OFF)))
        .catch(() => undefined),
  };
}

/**
 * Outgoing: the core's ResponseSink onto a Fetch Response, and the promise of that Response.
 *
 * The Response is built in `head()`, which the core calls only once the headers count as sent (first
 * non-empty chunk or end of body), so excInfo can still change the status before. The body streams
 * with backpressure: `chunk()` resolves only when the consumer takes the chunk. Set-Cookie stays
 * separate through `Headers.append`.
 */
export function createResponseSink(
  method: string,
  errors: ErrorStream,
): { sink: ResponseSink; response: Promise<Response>; ready: Response | undefined } {
  return new FetchResponseSink(method, errors);
}

/** A class rather than closures per request; the promise of the Response is made only if awaited. */
class FetchResponseSink implements ResponseSink {
  readonly #method: string;
  readonly #errors: ErrorStream;
  // Made at the first need: the core reads the signal only for a body it iterates, and the client
  // can cancel only a streamed body; a whole response (an array body) needs neither.
  #cancel: AbortController | undefined;
  #channel: BodyChannel | undefined;
  #headed = false;
  /** The Response once built: a synchronous app's is there as soon as the core returns. */
  ready: Response | undefined;
  #promise: Promise<Response> | undefined;
  #resolve: ((response: Response) => void) | undefined;

  constructor(method: string, errors: ErrorStream) {
    this.#method = method;
    this.#errors = errors;
  }

  get sink(): ResponseSink {
    return this;
  }

  /** Resolves with the Response once the headers count as sent. */
  get response(): Promise<Response> {
    if (this.ready) return Promise.resolve(this.ready);
    return (this.#promise ??= new Promise<Response>((resolve) => {
      this.#resolve = resolve;
    }));
  }

  get signal(): AbortSignal {
    return (this.#cancel ??= new AbortController()).signal;
  }

  /** The client went away: the core stops iterating and closes the body once. */
  readonly #onCancel = (reason: unknown): void => {
    const cancel = (this.#cancel ??= new AbortController());
    if (!cancel.signal.aborted) cancel.abort(reason ?? new Error("the client went away"));
  };

  #settle(response: Response): void {
    this.ready = response;
    this.#resolve?.(response);
  }

  /** Builds the Response: over `whole` when given, else over a channel the chunks go through. */
  #respond({ status, reason, headers }: ResponseHead, whole: Uint8Array | undefined): void {
    this.#headed = true;
    if (status < 200 || status > 599) {
      // A Fetch Response can only hold 200-599: a 1xx (or 6xx) final status cannot be sent.
      logError(this.#errors, `status ${status} cannot be represented by a Fetch Response; answered 502`);
      this.#settle(answerResponse(502));
      return;
    }
    let body: ReadableStream<Uint8Array> | Uint8Array | null = null;
    if (isNullBody(this.#method, status)) body = null;
    else if (whole) body = whole;
    else {
      const FixedLength = (globalThis as { FixedLengthStream?: FixedLengthStreamClass }).FixedLengthStream;
      const length = FixedLength ? contentLengthOf(headers) : undefined;
      this.#channel =
        FixedLength && length !== undefined
          ? fixedLengthChannel(FixedLength, Number(length), this.#onCancel)
          : pullChannel(this.#onCancel);
      body = this.#channel.readable;
    }
    // The headers go straight into the Response's own Headers: a `Headers` of ours as the init
    // would be built, then iterated and copied by the constructor (undici sorts it on the way).
    const response = new Response(body, { status, statusText: reason });
    const fields = response.headers;
    for (const [name, value] of headers) fields.append(name, value);
    this.#settle(response);
  }

  head(head: ResponseHead): void {
    this.#respond(head, undefined);
  }

  whole(head: ResponseHead, bytes: Uint8Array): void {
    // The whole body at hand: a Response over a copy of it, no stream (and its length known).
    this.#respond(head, COPIES_BODY ? bytes : bytes.slice());
  }

  async chunk(bytes: Uint8Array): Promise<void> {
    if (this.#cancel?.signal.aborted) return;
    // Copied: the app may reuse its buffer once this resolves, and a subarray keeps only its bytes.
    await this.#channel?.write(bytes.slice());
  }

  end(): void {
    this.#channel?.close();
  }

  abort(): void {
    if (!this.#headed) {
      this.#headed = true;
      this.#settle(answerResponse(502));
      return;
    }
    this.#channel?.error();
  }
}
