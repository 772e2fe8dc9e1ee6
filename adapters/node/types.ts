/**
 * The types of `tsgi/node`: the environ, the options and the handles.
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Environ, ErrorStream } from "../../core/gateway.ts";
import type { AccessLog } from "./access-log.ts";

/**
 * The environ on Node: `node.request` is the IncomingMessage.
 *
 * @example
 * ```ts
 * const app: App<NodeEnviron> = (environ, startResponse) => {
 *   const socket = environ["node.request"].socket;
 *   ...
 * };
 * ```
 */
export interface NodeEnviron extends Environ {
  "node.request": IncomingMessage;
}

export interface NodeOptions {
  /** Mount prefix moved from PATH_INFO to SCRIPT_NAME (`/app`). */
  scriptName?: string;
  /**
   * Believe `X-Forwarded-For` / `X-Forwarded-Proto` from this many proxy hops in front of the
   * server (`true` is one). Off by default: REMOTE_ADDR is the socket peer.
   */
  trustProxy?: boolean | number;
  /** Where `tsgi.errors` goes; process.stderr by default. */
  errors?: ErrorStream;
  /** Sets `tsgi.multiprocess` (true in preforked workers). */
  multiprocess?: boolean;
  /**
   * Paths no HTTP request may reach, in any spelling: answered 404 and logged. Default
   * `DEFAULT_EVENT_PATHS` (where Workers deliver events), so that an app written to tell events by
   * path cannot be fooled on Node; `[]` reserves none.
   */
  eventPaths?: readonly string[];
  /**
   * Milliseconds the app has for each whole response: past it, 504 before the headers, a cut-off
   * after (logged). Default 0: no limit (a long stream is legitimate).
   */
  appTimeout?: number;
}

/** A node:http request listener that also knows how to wait for its `tsgi.wait_until` tasks. */
export interface NodeListener {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Resolves when every task passed to `tsgi.wait_until` has settled. */
  settle(): Promise<void>;
}

export interface ServeOptions extends NodeOptions {
  /** The port to listen on; 0 picks a free one. Default 8000. */
  port?: number;
  /** The address to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** How long close() waits for in-flight requests before cutting connections. Default 10 s. */
  shutdownTimeout?: number;
  /**
   * Milliseconds a client has to send the request head; past it the request gets `408` (logged).
   * Default 20 s (Node's own is 60 s, checked every 30 s).
   */
  headersTimeout?: number;
  /**
   * Milliseconds a client has to send the whole request, body included, so that a body sent a byte
   * a second is cut off with `408` (logged). Default 120 s; 0 disables it.
   */
  requestTimeout?: number;
  /**
   * Preforked worker processes sharing the port (node:cluster): each re-runs the main script, in
   * which `serve()` serves the app; the primary replaces dead workers. Default: one process.
   */
  workers?: number;
  /**
   * Close gracefully on SIGTERM and SIGINT (finish in-flight requests, then exit 0). Default
   * false for one process (the signals stay yours), true for the primary of `workers`.
   */
  signals?: boolean;
  /**
   * One line per request in gunicorn's default format (Apache combined) plus the time it took:
   * `true` writes to standard output, a function receives each line. Default off (`tsgi serve`
   * turns it on).
   */
  accessLog?: AccessLog;
}

/** A running server. */
export interface ServerHandle {
  readonly port: number;
  readonly url: string;
  readonly server: Server;
  /** Requests being served right now. */
  readonly inFlight: number;
  /**
   * Stop accepting, let in-flight requests finish (up to the timeout); every later response says
   * `Connection: close`, and an idle keep-alive connection is closed after a short grace period.
   */
  close(): Promise<void>;
}
