/**
 * The sink: what an adapter gives the core to send one response on its platform, and the minimal
 * responses the gateway answers itself.
 * @module
 */
import type { ResponseHead } from "./start-response.ts";

export type { ResponseHead } from "./start-response.ts";

/**
 * What an adapter gives the core to send a response on its platform.
 *
 * The core calls `head` once, then `chunk` for each non-empty chunk (awaiting each), then exactly
 * one of `end` or `abort`.
 */
export interface ResponseSink {
  /** Send (or fix) the status and headers. */
  head(head: ResponseHead): void | Promise<void>;
  /** Hand on one non-empty chunk; copy it or send it fully before resolving (apps may reuse buffers). */
  chunk(bytes: Uint8Array): void | Promise<void>;
  /** The response is complete. */
  end(): void | Promise<void>;
  /** Cut the response off: headers went out and the body cannot be completed. */
  abort(reason: unknown): void;
  /**
   * Aborted when the client goes away: iteration stops and the body is closed. Read only when the
   * core iterates a body (not for `whole`), so a sink may make it lazily with a getter.
   */
  signal?: AbortSignal | undefined;
  /**
   * Optional: send a whole response in one call, instead of `head`, `chunk`... `end`. The core uses
   * it when the app returned an array of chunks and called no write(): the body is then known in
   * full, and one call spares a turn of the event loop per chunk and lets the platform send it in
   * one piece (one writeHead and end, one Response). The same copy rule as `chunk` applies. The
   * signal is not consulted first: a sink whose client already went away drops the response.
   */
  whole?(head: ResponseHead, body: Uint8Array): void | Promise<void>;
}

const encoder = new TextEncoder();

/** The reason phrases of the statuses the gateway itself answers with. */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  404: "Not Found",
  408: "Request Timeout",
  413: "Content Too Large",
  417: "Expectation Failed",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * A minimal text response for a status the gateway answers itself (400, 500...): no internals.
 *
 * @example
 * ```ts
 * await sendError(sink, 400);
 * ```
 */
export async function sendError(sink: ResponseSink, status: number, headOnly = false): Promise<void> {
  const reason = REASONS[status] ?? "Error";
  const bytes = encoder.encode(`${status} ${reason}\n`);
  await sink.head({
    status,
    reason,
    headers: [
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Content-Length", String(bytes.byteLength)],
    ],
  });
  if (!headOnly) await sink.chunk(bytes);
  await sink.end();
}
