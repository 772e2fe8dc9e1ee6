/**
 * The request timeouts of `serve()`, as node:http options.
 * @module
 */
import type { ServerOptions } from "node:http";

/** Default time for the request head. */
export const HEADERS_TIMEOUT = 20_000;
/** Default time for the whole request, body included. */
export const REQUEST_TIMEOUT = 120_000;

/**
 * node:http's `headersTimeout`, `requestTimeout` and `connectionsCheckingInterval` for the
 * `serve()` options. Node checks its timeouts only every `connectionsCheckingInterval` (30 s by
 * default), so a 20 s header timeout would fire after up to 50 s: the interval is a tenth of the
 * shorter timeout, at most 1 s.
 *
 * @example
 * ```ts
 * createServer({ ...serverTimeouts({ requestTimeout: 60_000 }) }, listener);
 * ```
 */
export function serverTimeouts(options: { headersTimeout?: number; requestTimeout?: number }): ServerOptions {
  const requestTimeout = options.requestTimeout ?? REQUEST_TIMEOUT;
  let headersTimeout = options.headersTimeout ?? HEADERS_TIMEOUT;
  // Node refuses a header timeout longer than a (non-zero) request timeout.
  if (requestTimeout > 0 && headersTimeout > requestTimeout) headersTimeout = requestTimeout;
  const shortest = Math.min(...[headersTimeout, requestTimeout].filter((t) => t > 0));
  const connectionsCheckingInterval = Number.isFinite(shortest)
    ? Math.max(10, Math.min(1000, Math.floor(shortest / 10)))
    : 30_000;
  return { headersTimeout, requestTimeout, connectionsCheckingInterval };
}
