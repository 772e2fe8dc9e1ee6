/**
 * The start_response state machine, shared by every platform, and the two framing rules it decides:
 * which responses carry no body, and the Content-Length a response goes out with. The table of
 * states and transitions is in docs/spec.md ("The response state machine").
 * @module
 */
import { InvalidChunkError, ProtocolError } from "./errors.ts";
import { checkHeaderList, statusOf } from "./headers.ts";
import type { HeaderList, StartResponse, Write } from "./types.ts";

/** The status and headers an app chose. */
export interface ResponseHead {
  status: number;
  reason: string;
  headers: HeaderList;
}

/**
 * Whether a status never carries body bytes, so the gateway adds no Content-Length to it: 1xx, 204
 * and 304 (RFC 9110 6.4.1, 8.6).
 *
 * @example
 * ```ts
 * statusHasNoBody(204); // true
 * ```
 */
export function statusHasNoBody(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

/**
 * Whether a response sends no body bytes at all: a bodiless status, or the answer to HEAD (which
 * keeps the headers, Content-Length included, of the GET it stands for).
 *
 * @example
 * ```ts
 * isBodyless("HEAD", 200); // true
 * ```
 */
export function isBodyless(method: string, status: number): boolean {
  return method === "HEAD" || statusHasNoBody(status);
}

/**
 * Where one response stands (the table in docs/spec.md):
 * - `waiting`: startResponse not called yet;
 * - `started`: status and headers set, still replaceable with excInfo;
 * - `committed`: the headers count as sent (first non-empty chunk or write(), or the end of the
 *   body): excInfo is now rethrown;
 * - `delivered`: the head went to the platform (the sink's `head` or `whole`).
 * Apart from these, `closed` says the body is over: write() is then misuse.
 */
export type ResponsePhase = "waiting" | "started" | "committed" | "delivered";

/**
 * Tracks one response: what startResponse set, whether the headers count as sent, whether they went
 * to the platform, and whether the body is over. Only its own transitions change it. `onWrite`
 * receives every non-empty chunk passed to `write()`. The core's runner uses it; a gateway of one's
 * own can too.
 *
 * @example
 * ```ts
 * const state = new ResponseState(async (chunk) => socket.write(chunk));
 * const body = await app(environ, state.startResponse);
 * ```
 */
export class ResponseState {
  #phase: ResponsePhase = "waiting";
  #closed = false;
  #head: ResponseHead | undefined;
  // The app's own Content-Length, found by checkHeaderList.
  #declared: number | undefined;
  readonly startResponse: StartResponse;
  readonly #write: Write;

  constructor(onWrite: (chunk: Uint8Array) => Promise<void>) {
    this.#write = (chunk: Uint8Array): Promise<void> => {
      // Misuse throws synchronously; the promise is only for backpressure.
      if (!(chunk instanceof Uint8Array)) throw new InvalidChunkError(chunk);
      if (this.#closed) throw new ProtocolError("write() called after the response ended");
      if (chunk.byteLength === 0) return Promise.resolve();
      this.commit();
      return onWrite(chunk);
    };
    this.startResponse = (status: string, headers: HeaderList, excInfo?: unknown): Write => {
      if (excInfo != null) {
        // PEP 3333: with exc_info after the headers went out, re-raise it (the same object).
        if (this.committed) throw excInfo;
      } else if (this.#head !== undefined) {
        throw new ProtocolError("startResponse called a second time without excInfo");
      }
      const { code, reason } = statusOf(status);
      // Checked and copied now: a bad header throws here, before anything reaches the client.
      const checked = checkHeaderList(headers);
      this.#head = { status: code, reason, headers: checked.headers };
      this.#declared = checked.contentLength;
      if (this.#phase === "waiting") this.#phase = "started";
      return this.#write;
    };
  }

  /** The status and headers startResponse set last, if any. */
  get head(): ResponseHead | undefined {
    return this.#head;
  }

  get phase(): ResponsePhase {
    return this.#phase;
  }

  /** Whether the headers count as sent (`committed` or `delivered`). */
  get committed(): boolean {
    return this.#phase === "committed" || this.#phase === "delivered";
  }

  /** Whether the body is over: write() is then misuse. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The Content-Length the app declared (checked: digits only, given once), if any. */
  get declaredLength(): number | undefined {
    return this.#declared;
  }

  /** The headers count as sent from now on (a non-empty chunk or write(), or the end of the body). */
  commit(): void {
    if (this.#phase === "waiting" || this.#phase === "started") this.#phase = "committed";
  }

  /** The body is over: no more write(). */
  close(): void {
    this.#closed = true;
  }

  /**
   * Commits the headers and hands the head to the platform once: returns it the first time, with
   * the Content-Length the response goes out with (see {@link frame}), and undefined after.
   */
  deliver(lengthHint: number | undefined): ResponseHead | undefined {
    if (this.#phase === "delivered") return undefined;
    const head = this.#head;
    if (head === undefined) throw new ProtocolError("the app never called startResponse");
    this.#phase = "delivered";
    frame(head, this.#declared, lengthHint);
    return head;
  }
}

/**
 * The Content-Length rule, written once for the whole-response path and the streamed one: a body
 * whose length is known up front (`lengthHint`) gets an exact Content-Length when the app declared
 * none and the status may carry a body (PEP 3333, "Handling the Content-Length Header"), so the
 * platform need not chunk it. HEAD keeps it: it is the length a GET would get.
 */
function frame(head: ResponseHead, declared: number | undefined, hint: number | undefined): void {
  if (declared === undefined && hint !== undefined && !statusHasNoBody(head.status)) {
    head.headers.push(["Content-Length", String(hint)]);
  }
}
