/**
 * Outgoing, buffered: collecting the response the core sends, choosing text or base64 for the body,
 * keeping under the front door's size limit, and handing the result to the front door's module.
 * Nothing here knows one front door from another.
 * @module
 */
import { Buffer, isUtf8 } from "node:buffer";
import { gatewayAnswer, getHeader } from "../../core/gateway.ts";
import type { HeaderList, ResponseHead, ResponseSink } from "../../core/gateway.ts";
import { ResponseTooLargeError } from "./errors.ts";
import { isTextualType } from "./textual.ts";
import type { EncodedBody, FrontDoor, LambdaResult } from "./types.ts";

/** What building a result needs of a front door. */
export type ResultDoor = Pick<FrontDoor<never>, "kind" | "streams" | "toResult">;

/**
 * Lambda's limit on a buffered (RequestResponse) payload: 6 MB of JSON. A larger result becomes a 502.
 *
 * @example
 * ```ts
 * if (bytes.byteLength > LAMBDA_RESPONSE_LIMIT) useStreaming();
 * ```
 */
export const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

/**
 * Whether a response is text by its headers: a textual Content-Type and no Content-Encoding (the
 * default of the `isBinary` option, negated; the bytes must also be valid UTF-8).
 *
 * @example
 * ```ts
 * createHandler(app, { isBinary: (headers) => !isTextual(headers) || isDownload(headers) });
 * ```
 */
export function isTextual(headers: HeaderList): boolean {
  const encoding = getHeader(headers, "content-encoding");
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") return false;
  return isTextualType(getHeader(headers, "content-type") ?? "");
}

/**
 * The body as text when it is textual (or `isBinary` says it is not binary) and its bytes decode
 * strictly as UTF-8; base64 otherwise, so no byte is ever lost.
 *
 * @example
 * ```ts
 * encodeBody([["Content-Type", "text/plain"]], new TextEncoder().encode("hi")); // { body: "hi", isBase64Encoded: false }
 * ```
 */
export function encodeBody(
  headers: HeaderList,
  bytes: Uint8Array,
  isBinary?: (headers: HeaderList) => boolean,
): EncodedBody {
  if (bytes.byteLength === 0) return { body: "", isBase64Encoded: false };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // isUtf8 then toString (which keeps a leading BOM, so the bytes survive exactly) costs a fraction
  // of a fatal TextDecoder's decode on the small bodies most responses have.
  if ((isBinary ? !isBinary(headers) : isTextual(headers)) && isUtf8(buffer)) {
    return { body: buffer.toString("utf8"), isBase64Encoded: false };
  }
  return { body: buffer.toString("base64"), isBase64Encoded: true };
}

/** How a buffered response ended: the body as bytes, or already encoded (see {@link createCollector}). */
export type Outcome =
  | { type: "complete"; head: ResponseHead; body: Uint8Array | EncodedBody }
  | { type: "too-large"; error: ResponseTooLargeError }
  | { type: "aborted"; reason: unknown };

/**
 * A sink that collects the response. Past `limit` bytes it stops the app (through the sink's
 * signal) rather than buffer without end. With `encode`, a whole response (an array body) is encoded
 * for the result at once: that is the copy the chunk rule asks for, so the bytes are not copied twice.
 *
 * @example
 * ```ts
 * const collector = createCollector(LAMBDA_RESPONSE_LIMIT);
 * await serveRequest(app, info, collector.sink);
 * collector.outcome();
 * ```
 */
export function createCollector(
  limit: number,
  encode?: (headers: HeaderList, bytes: Uint8Array) => EncodedBody,
): { sink: ResponseSink; outcome(): Outcome } {
  return new Collector(limit, encode);
}

/** A class rather than a closure per method: one is made per invocation. */
class Collector implements ResponseSink {
  readonly #limit: number;
  readonly #encode: ((headers: HeaderList, bytes: Uint8Array) => EncodedBody) | undefined;
  // Made at the first read of the signal: the core reads it only for a body it iterates, and a
  // whole response (an array body) never needs it.
  #controller: AbortController | undefined;
  #chunks: Uint8Array[] = [];
  #encoded: EncodedBody | undefined;
  #head: ResponseHead | undefined;
  #size = 0;
  #tooLarge: ResponseTooLargeError | undefined;
  #aborted: { reason: unknown } | undefined;

  constructor(limit: number, encode: ((headers: HeaderList, bytes: Uint8Array) => EncodedBody) | undefined) {
    this.#limit = limit;
    this.#encode = encode;
  }

  get sink(): ResponseSink {
    return this;
  }

  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  head(head: ResponseHead): void {
    this.#head = head;
  }

  chunk(bytes: Uint8Array): void {
    this.#size += bytes.byteLength;
    if (this.#size > this.#limit) {
      this.#tooLarge ??= new ResponseTooLargeError(this.#size, this.#limit);
      (this.#controller ??= new AbortController()).abort(this.#tooLarge);
      return;
    }
    this.#chunks.push(bytes.slice()); // a copy: apps may reuse their buffers
  }

  whole(head: ResponseHead, bytes: Uint8Array): void {
    this.#head = head;
    if (this.#encode && bytes.byteLength <= this.#limit) {
      this.#size = bytes.byteLength;
      this.#encoded = this.#encode(head.headers, bytes);
    } else if (bytes.byteLength) this.chunk(bytes);
  }

  end(): void {}

  abort(reason: unknown): void {
    this.#aborted ??= { reason };
  }

  outcome(): Outcome {
    if (this.#tooLarge) return { type: "too-large", error: this.#tooLarge };
    const head = this.#head;
    if (this.#aborted || !head) return { type: "aborted", reason: this.#aborted?.reason };
    if (this.#encoded) return { type: "complete", head, body: this.#encoded };
    // The chunks are copies already: a single one is the body as it is.
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    return { type: "complete", head, body };
  }
}

/** A size in words: `6 MB`, `40 KB`. */
const sizeText = (bytes: number) =>
  bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MB` : `${Math.round(bytes / 1024)} KB`;

/**
 * Whether a result is surely under Lambda's limit without serializing it (which would cost as much
 * as the runtime's own JSON.stringify): a code unit takes at most 6 bytes in JSON (`\u001f`), and
 * the fields around the body and headers stay far below the slack allowed for them.
 */
function surelyFits(head: ResponseHead, body: EncodedBody, limit: number): boolean {
  let units = body.body.length + head.reason.length;
  // Two more per header cover its quotes, colon, brackets and comma.
  for (const [name, value] of head.headers) units += name.length + value.length + 2;
  return units * 6 + 4 * 1024 <= limit;
}

/**
 * The front door's result for a complete response; a result past the front door's limit (Lambda's
 * 6 MB; CloudFront's 40 KB or 1 MB for Lambda@Edge) becomes a 502 that says so, and a log line.
 *
 * @example
 * ```ts
 * buildResult(functionUrl, head, bytes, { log: console.error, limit: LAMBDA_RESPONSE_LIMIT });
 * ```
 */
export function buildResult(
  door: ResultDoor,
  head: ResponseHead,
  bytes: Uint8Array | EncodedBody,
  options: {
    isBinary?: ((headers: HeaderList) => boolean) | undefined;
    log: (line: string) => void;
    limit: number;
  },
): LambdaResult {
  const warn = (message: string) => options.log(`tsgi: warning: ${message}`);
  const body = bytes instanceof Uint8Array ? encodeBody(head.headers, bytes, options.isBinary) : bytes;
  const result = door.toResult(head, body, warn);
  if (surelyFits(head, body, options.limit)) return result;
  const size = Buffer.byteLength(JSON.stringify(result));
  if (size <= options.limit) return result;
  return tooLargeResult(door, new ResponseTooLargeError(size, options.limit), options.log, options.limit);
}

/**
 * The 502 that replaces a response too large for the front door, with its log line.
 *
 * @example
 * ```ts
 * tooLargeResult(alb, new ResponseTooLargeError(7e6, LAMBDA_RESPONSE_LIMIT), console.error, LAMBDA_RESPONSE_LIMIT);
 * ```
 */
export function tooLargeResult(
  door: ResultDoor,
  error: ResponseTooLargeError,
  log: (line: string) => void,
  limit: number,
): LambdaResult {
  log(`tsgi: ${error.message}; answered 502 instead`);
  const detail = `the response is larger than the ${sizeText(limit)} the ${door.kind} front door can carry`;
  const { head, body } = gatewayAnswer(502, { detail });
  return door.toResult(head, encodeBody(head.headers, body), () => {});
}
