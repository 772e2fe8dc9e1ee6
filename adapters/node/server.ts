/**
 * `serve`: a node:http server (or a preforked cluster of them) running a tsgi app.
 * @module
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { App } from "../../core/gateway.ts";
import { accessLogWriter, logWhenDone } from "./access-log.ts";
import { type ClusterHandle, closeOnSignals, serveWorkers } from "./cluster.ts";
import { SETTLED, createListener } from "./listener.ts";
import { nodeErrorStream } from "./mapping.ts";
import { handleRefusals } from "./refusals.ts";
import { trackConnections } from "./shutdown.ts";
import { serverTimeouts } from "./timeouts.ts";
import type { NodeEnviron, ServeOptions, ServerHandle } from "./types.ts";

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
