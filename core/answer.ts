/**
 * The answers the gateway gives itself (a refused request, an app failure, a timeout, a response a
 * platform cannot carry): one builder, so that every adapter sends the same small text, without
 * internals.
 * @module
 */
import type { ResponseHead } from "./start-response.ts";

/** The standard reason phrases (RFC 9110 and its registry). */
const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  207: "Multi-Status",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  418: "I'm a Teapot",
  421: "Misdirected Request",
  422: "Unprocessable Content",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

/**
 * The reason phrase of `status`: the standard one, else the name of its class.
 *
 * @example
 * ```ts
 * reasonPhrase(404); // "Not Found"
 * reasonPhrase(599); // "Server Error"
 * ```
 */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 400 ? "Unknown" : status < 500 ? "Client Error" : "Server Error");
}

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
  const reason = reasonPhrase(status);
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
