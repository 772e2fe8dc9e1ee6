/**
 * `tsgi/node`: serve a tsgi app with node:http.
 *
 * @example
 * ```ts
 * import { serve } from "tsgi/node";
 * const server = await serve(app, { port: 8000 });
 * console.log(server.url);
 * ```
 * @module
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { createWaitUntil, startRequest } from "../core/gateway.ts";
import type { App, Environ, ErrorStream } from "../core/gateway.ts";
import { type AccessLog, accessLogWriter, logWhenDone } from "./node/access-log.ts";
import { type ClusterHandle, closeOnSignals, serveWorkers } from "./node/cluster.ts";
import { createResponseSink, nodeErrorStream, toGatewayRequest } from "./node/mapping.ts";
import { handleRefusals } from "./node/refusals.ts";
import { trackConnections } from "./node/shutdown.ts";
import { serverTimeouts } from "./node/timeouts.ts";

export type { ClusterHandle } from "./node/cluster.ts";
export { formatAccessLog, type AccessLog, type AccessLogEntry } from "./node/access-log.ts";

const SETTLED: Promise<void> = Promise.resolve();

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

/**
 * A `(req, res)` listener for node:http (or any server built on it) that runs `app`.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * createServer(createListener(app)).listen(8000);
 * ```
 */
export function createListener(app: App<NodeEnviron>, options: NodeOptions = {}): NodeListener {
  const errors = options.errors ?? nodeErrorStream();
  const tasks = createWaitUntil((error) =>
    errors.write(`tsgi: a tsgi.wait_until task failed: ${String(error)}\n`),
  );
  const listener = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    startRequest(
      // toGatewayRequest sets node.request.
      app as App,
      toGatewayRequest(req, res, options, errors, tasks.waitUntil),
      createResponseSink(req, res, errors),
    ) ?? SETTLED;
  return Object.assign(listener, { settle: tasks.settle });
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

/**
 * Serves `app` on a node:http server; resolves once it listens. With `workers`, preforks that many
 * processes sharing the port (see {@link ClusterHandle}).
 *
 * @example
 * ```ts
 * const handle = await serve(app, { port: 0 });
 * await fetch(handle.url);
 * await handle.close();
 *
 * await serve(app, { port: 8000, workers: 4 }); // primary: forks 4 workers that re-run this script
 * ```
 */
export function serve(
  app: App<NodeEnviron>,
  options: ServeOptions & { workers: number },
): Promise<ClusterHandle>;
export function serve(
  app: App<NodeEnviron>,
  options?: ServeOptions & { workers?: undefined },
): Promise<ServerHandle>;
export function serve(app: App<NodeEnviron>, options?: ServeOptions): Promise<ServerHandle | ClusterHandle>;
export async function serve(
  app: App<NodeEnviron>,
  options: ServeOptions = {},
): Promise<ServerHandle | ClusterHandle> {
  const errors = options.errors ?? nodeErrorStream();
  if (options.workers !== undefined) {
    return serveWorkers({ ...options, workers: options.workers }, errors, (o) => listen(app, o));
  }
  const handle = await listen(app, options);
  if (options.signals) closeOnSignals(handle.close, errors, () => handle.inFlight, options.shutdownTimeout);
  return handle;
}

/** One node:http server in this process. */
async function listen(app: App<NodeEnviron>, options: ServeOptions): Promise<ServerHandle> {
  const listener = createListener(app, options);
  const hostname = options.hostname ?? "127.0.0.1";
  const errors = options.errors ?? nodeErrorStream();
  let inFlight = 0;
  const idle = new Set<() => void>();
  const log = accessLogWriter(options.accessLog);

  const done = () => {
    if (--inFlight === 0) for (const wake of idle) wake();
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    if (log) logWhenDone(req, res, log);
    connections.request(req, res);
    const served = listener(req, res);
    // A response sent at once is over now: no promise callback to wait for.
    if (served === SETTLED) done();
    else void served.finally(done);
  };
  const server = createServer({ requireHostHeader: false, ...serverTimeouts(options) }, handle);
  // With this listener Node leaves `Expect: 100-continue` to us: the 100 goes out at the first read of
  // tsgi.input, so an app that answers without reading (401, 413) never invites the body.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    (req as IncomingMessage & { tsgiExpectContinue?: boolean }).tsgiExpectContinue = true;
    handle(req, res);
  });
  handleRefusals(server, errors);
  const connections = trackConnections(server);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error & { code?: string }) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${options.port ?? 8000} on ${hostname} is already in use`, { cause: error })
          : error,
      );
    };
    server.once("error", onError);
    server.listen(options.port ?? 8000, hostname, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 8000);
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;

  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}/`,
    server,
    get inFlight() {
      return inFlight;
    },
    close() {
      closed ??= (async () => {
        const timeout = options.shutdownTimeout ?? 10_000;
        // Every response from now on says Connection: close; idle connections get a grace period.
        const disconnected = connections.drain(timeout);
        const drained = new Promise<void>((resolve) => {
          if (inFlight === 0) resolve();
          else idle.add(resolve);
        });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeout);
        });
        await Promise.race([Promise.all([drained, disconnected]), timedOut]);
        server.closeAllConnections();
        await Promise.race([listener.settle(), timedOut]);
        clearTimeout(timer);
        await disconnected;
        // http.Server's own close (the listener is closed already) stops its timeout checks.
        server.close(() => undefined);
      })();
      return closed;
    },
  };
}
