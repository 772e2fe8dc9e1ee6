/**
 * Outgoing, buffered: collecting the response the core sends, choosing text or base64 for the body,
 * keeping under Lambda's payload limit, and building the result for the event kind.
 * @module
 */
import { Buffer, isUtf8 } from "node:buffer";
import { getHeader } from "../../core/index.ts";
import type { HeaderList, ResponseHead, ResponseSink } from "../../core/index.ts";
import { toAlbResult } from "./alb.ts";
import { toApiGatewayV1Result } from "./api-gateway-v1.ts";
import { toApiGatewayV2Result } from "./api-gateway-v2.ts";
import { ResponseTooLargeError } from "./errors.ts";
import type { HttpEventKind, LambdaResult } from "./types.ts";

/** Lambda's limit on a buffered (RequestResponse) payload: 6 MB of JSON. */
export const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

/** A body as Lambda results carry it. */
export interface EncodedBody {
  body: string;
  isBase64Encoded: boolean;
}

// Types whose bytes are text: anything else (images, octet-stream, fonts...) goes base64.
const TEXTUAL =
  /^\s*(?:text\/|application\/(?:[\w.-]+\+)?(?:json|xml)\b|application\/(?:javascript|ecmascript|x-www-form-urlencoded|graphql)\b|image\/svg\+xml\b)/i;

/** Whether a response is text by its headers: a textual Content-Type and no Content-Encoding. */
export function isTextual(headers: HeaderList): boolean {
  const encoding = getHeader(headers, "content-encoding");
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") return false;
  return TEXTUAL.test(getHeader(headers, "content-type") ?? "");
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

/** How a buffered response ended. */
export type Outcome =
  | { type: "complete"; head: ResponseHead; body: Uint8Array }
  | { type: "too-large"; error: ResponseTooLargeError }
  | { type: "aborted"; reason: unknown };

/**
 * A sink that collects the response. Past `limit` bytes it stops the app (through the sink's
 * signal) rather than buffer without end.
 *
 * @example
 * ```ts
 * const collector = createCollector(LAMBDA_RESPONSE_LIMIT);
 * await serveRequest(app, info, collector.sink);
 * collector.outcome();
 * ```
 */
export function createCollector(limit: number): { sink: ResponseSink; outcome(): Outcome } {
  const controller = new AbortController();
  const chunks: Uint8Array[] = [];
  let head: ResponseHead | undefined;
  let size = 0;
  let tooLarge: ResponseTooLargeError | undefined;
  let aborted: { reason: unknown } | undefined;
  const sink: ResponseSink = {
    signal: controller.signal,
    head(h) {
      head = h;
    },
    chunk(bytes) {
      size += bytes.byteLength;
      if (size > limit) {
        tooLarge ??= new ResponseTooLargeError(size, limit);
        controller.abort(tooLarge);
        return;
      }
      chunks.push(bytes.slice()); // a copy: apps may reuse their buffers
    },
    whole(h, bytes) {
      sink.head(h);
      if (bytes.byteLength) void sink.chunk(bytes);
    },
    end() {},
    abort(reason) {
      aborted ??= { reason };
    },
  };
  return {
    sink,
    outcome() {
      if (tooLarge) return { type: "too-large", error: tooLarge };
      if (aborted || !head) return { type: "aborted", reason: aborted?.reason };
      // The chunks are copies already: a single one is the body as it is.
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      return { type: "complete", head, body };
    },
  };
}

/** Builds the result for `kind` from a complete response. */
function resultFor(
  kind: HttpEventKind,
  head: ResponseHead,
  body: EncodedBody,
  warn: (message: string) => void,
): LambdaResult {
  switch (kind) {
    case "api-gateway-v1":
      return toApiGatewayV1Result(head, body);
    case "api-gateway-v2":
    case "function-url":
      return toApiGatewayV2Result(head, body);
    case "alb":
    case "vpc-lattice":
      return toAlbResult(head, body, false, warn);
    case "alb-multi-value":
      return toAlbResult(head, body, true, warn);
  }
}

const TOO_LARGE_TEXT =
  "502 Bad Gateway: the response is larger than the 6 MB a buffered Lambda response can carry\n";

/**
 * Whether a result is surely under Lambda's limit without serializing it (which would cost as much
 * as the runtime's own JSON.stringify): a code unit takes at most 6 bytes in JSON (`\u001f`), and
 * the fields around the body and headers stay far below the slack allowed for them.
 */
function surelyFits(head: ResponseHead, body: EncodedBody): boolean {
  let units = body.body.length + head.reason.length;
  // Two more per header cover its quotes, colon, brackets and comma.
  for (const [name, value] of head.headers) units += name.length + value.length + 2;
  return units * 6 + 4 * 1024 <= LAMBDA_RESPONSE_LIMIT;
}

/**
 * The Lambda result for a complete response; a result past Lambda's payload limit becomes a 502
 * that says so, and a log line with the sizes.
 *
 * @example
 * ```ts
 * buildResult("function-url", head, bytes, { log: console.error });
 * ```
 */
export function buildResult(
  kind: HttpEventKind,
  head: ResponseHead,
  bytes: Uint8Array,
  options: { isBinary?: ((headers: HeaderList) => boolean) | undefined; log: (line: string) => void },
): LambdaResult {
  const warn = (message: string) => options.log(`tsgi: warning: ${message}`);
  const body = encodeBody(head.headers, bytes, options.isBinary);
  const result = resultFor(kind, head, body, warn);
  if (surelyFits(head, body)) return result;
  const size = Buffer.byteLength(JSON.stringify(result));
  if (size <= LAMBDA_RESPONSE_LIMIT) return result;
  return tooLargeResult(kind, new ResponseTooLargeError(size, LAMBDA_RESPONSE_LIMIT), options.log);
}

/** The 502 that replaces a response too large for Lambda, with its log line. */
export function tooLargeResult(
  kind: HttpEventKind,
  error: ResponseTooLargeError,
  log: (line: string) => void,
): LambdaResult {
  log(`tsgi: ${error.message}; answered 502 instead`);
  const head: ResponseHead = {
    status: 502,
    reason: "Bad Gateway",
    headers: [["Content-Type", "text/plain; charset=utf-8"]],
  };
  return resultFor(kind, head, { body: TOO_LARGE_TEXT, isBase64Encoded: false }, () => {});
}
