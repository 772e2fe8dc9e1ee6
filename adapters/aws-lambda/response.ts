/**
 * Outgoing, buffered: collecting the response the core sends, choosing text or base64 for the body,
 * keeping under Lambda's payload limit, and building the result for the event kind.
 * @module
 */
import { Buffer } from "node:buffer";
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
// ignoreBOM keeps a leading BOM in the text, so the bytes survive exactly.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

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
  if (isBinary ? !isBinary(headers) : isTextual(headers)) {
    try {
      return { body: strictUtf8.decode(bytes), isBase64Encoded: false };
    } catch {
      // Not UTF-8 after all: base64 below.
    }
  }
  return {
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
    isBase64Encoded: true,
  };
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
      return { type: "complete", head, body: Buffer.concat(chunks) };
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
  const result = resultFor(kind, head, encodeBody(head.headers, bytes, options.isBinary), warn);
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
