/**
 * The start_response state machine, shared by every platform: status set, headers sent, closed.
 * @module
 */
import { InvalidChunkError, ProtocolError } from "./errors.ts";
import { checkHeaders, parseStatus } from "./headers.ts";
import type { HeaderList, StartResponse, Write } from "./types.ts";

/** The status and headers an app chose. */
export interface ResponseHead {
  status: number;
  reason: string;
  headers: HeaderList;
}

/**
 * Tracks one response: what startResponse set, whether the headers count as sent, and whether the
 * response is over. `onWrite` receives every non-empty chunk passed to `write()`. The core's runner
 * uses it; a gateway of one's own can too.
 *
 * @example
 * ```ts
 * const state = new ResponseState(async (chunk) => socket.write(chunk));
 * const body = await app(environ, state.startResponse);
 * ```
 */
export class ResponseState {
  head: ResponseHead | undefined;
  /** Headers count as sent at the first non-empty chunk or write (or the end of the body). */
  sent = false;
  /** After the body is finished, write() is misuse. */
  closed = false;
  readonly startResponse: StartResponse;
  readonly #write: Write;

  constructor(onWrite: (chunk: Uint8Array) => Promise<void>) {
    this.#write = (chunk: Uint8Array): Promise<void> => {
      // Misuse throws synchronously; the promise is only for backpressure.
      if (!(chunk instanceof Uint8Array)) throw new InvalidChunkError(chunk);
      if (this.closed) throw new ProtocolError("write() called after the response ended");
      if (chunk.byteLength === 0) return Promise.resolve();
      this.sent = true;
      return onWrite(chunk);
    };
    this.startResponse = (status: string, headers: HeaderList, excInfo?: unknown): Write => {
      if (excInfo != null) {
        // PEP 3333: with exc_info after the headers went out, re-raise it (the same object).
        if (this.sent) throw excInfo;
      } else if (this.head !== undefined) {
        throw new ProtocolError("startResponse called a second time without excInfo");
      }
      const { code, reason } = parseStatus(status);
      // Checked and copied now: a bad header throws here, before anything reaches the client.
      this.head = { status: code, reason, headers: checkHeaders(headers) };
      return this.#write;
    };
  }
}
