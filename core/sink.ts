/**
 * The sink: what an adapter gives the core to send one response on its platform, and the minimal
 * responses the gateway answers itself.
 * @module
 */
import { gatewayAnswer } from "./answer.ts";
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

/**
 * Sends the gateway's own answer for `status` (400, 500...; see {@link gatewayAnswer}): no internals.
 *
 * @example
 * ```ts
 * await sendError(sink, 400);
 * ```
 */
export async function sendError(sink: ResponseSink, status: number, headOnly = false): Promise<void> {
  const { head, body } = gatewayAnswer(status, { headOnly });
  await sink.head(head);
  if (body.byteLength) await sink.chunk(body);
  await sink.end();
}
