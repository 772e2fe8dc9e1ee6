/**
 * The answers the gateway gives itself (a refused request, an app failure, a timeout, a response a
 * platform cannot carry): one builder, so that every adapter sends the same small text, without
 * internals.
 * @module
 */
import type { ResponseHead } from "./start-response.ts";

/**
 * The reason phrases of the statuses the gateway answers with itself. Only these: the table is in
 * every bundle (the full one for an app's Fetch Response is in adapters/fetch/from-fetch.ts).
 */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  404: "Not Found",
  408: "Request Timeout",
  413: "Content Too Large",
  417: "Expectation Failed",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A gateway's own answer: the head to send, and the body bytes (empty when the head is all). */
export interface GatewayAnswer {
  head: ResponseHead;
  body: Uint8Array;
}

export interface GatewayAnswerOptions {
  /** A HEAD request: the head says the text's length, the body is empty. */
  headOnly?: boolean | undefined;
  /** Said after the status line in the text (`502 Bad Gateway: <detail>`); never internals. */
  detail?: string | undefined;
  /** No text at all, `Content-Length: 0` (what bare node:http answers a refused request with). */
  empty?: boolean | undefined;
}

const encoder = new TextEncoder();
const NO_BYTES = new Uint8Array(0);

/**
 * The status, reason, headers and body of an answer the gateway gives itself: a plain text
 * `"<status> <reason>\n"` with its Content-Type and Content-Length.
 *
 * @example
 * ```ts
 * const { head, body } = gatewayAnswer(502);
 * // head: { status: 502, reason: "Bad Gateway", headers: [["Content-Type", ...], ["Content-Length", "16"]] }
 * ```
 */
export function gatewayAnswer(status: number, options: GatewayAnswerOptions = {}): GatewayAnswer {
  const reason = REASONS[status] ?? "Error";
  if (options.empty) return { head: { status, reason, headers: [["Content-Length", "0"]] }, body: NO_BYTES };
  const text = options.detail ? `${status} ${reason}: ${options.detail}\n` : `${status} ${reason}\n`;
  const bytes = encoder.encode(text);
  const head: ResponseHead = {
    status,
    reason,
    headers: [
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Content-Length", String(bytes.byteLength)],
    ],
  };
  return { head, body: options.headOnly ? NO_BYTES : bytes };
}
