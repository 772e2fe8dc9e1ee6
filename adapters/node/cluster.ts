/**
 * Preforked workers (in the manner of gunicorn and uWSGI) through node:cluster: the primary forks
 * N processes that re-run the main script, each serving the app on one shared port; a worker that
 * dies is replaced; SIGTERM or SIGINT drains every worker before the primary exits.
 * @module
 */
import cluster, { type Worker } from "node:cluster";
import { createServer } from "node:net";
import type { ErrorStream } from "../../core/gateway.ts";
import type { ServeOptions, ServerHandle } from "./types.ts";

/** A preforked server: in the primary, `server` is undefined (the workers hold the servers). */
export interface ClusterHandle extends Omit<ServerHandle, "server" | "inFlight"> {
  readonly server: ServerHandle["server"] | undefined;
  /** The process ids of the live workers (in a worker: its own). */
  readonly workers: readonly number[];
}

/** Consecutive workers that die before listening after which the primary gives up (a crash loop). */
const MAX_EARLY_DEATHS = 5;

/**
 * Closes `handle` on SIGTERM and SIGINT, saying what it drains, then "stopped" and exit 0; a
 * second signal exits at once (code 1) and says so. `pending` tells how many requests are in
 * flight (in a preforked primary the workers hold them: undefined).
 */
export function closeOnSignals(
  close: () => Promise<void>,
  errors: ErrorStream,
  pending?: () => number,
  timeoutMs = 10_000,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      errors.write(`tsgi: ${signal} again, stopping now without waiting for requests\n`);
      process.exit(1);
    }
    closing = true;
    const count = pending?.();
    const what = count === undefined ? "the workers" : `${count} request${count === 1 ? "" : "s"}`;
    errors.write(
      `tsgi: ${signal} received, draining ${what} (up to ${timeoutMs / 1000} s); again to stop at once\n`,
    );
    void close().then(
      () => {
        errors.write("tsgi: stopped\n");
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/** Fails early with a clear message when the port is taken (the workers would only see EADDRINUSE). */
function checkPortFree(port: number, hostname: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: Error & { code?: string }) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${port} on ${hostname} is already in use`, { cause: error })
          : error,
      ),
    );
    probe.listen(port, hostname, () => probe.close(() => resolve()));
  });
}

/** The worker side: serve for real (`tsgi.multiprocess` true); SIGTERM or losing the primary drains and exits. */
async function serveWorker(
  options: ServeOptions,
  listen: (options: ServeOptions) => Promise<ServerHandle>,
): Promise<ClusterHandle> {
  const handle = await listen({ ...options, multiprocess: true });
  const drainAndExit = () => void handle.close().finally(() => process.exit(0));
  process.once("SIGTERM", drainAndExit);
  // Ctrl-C reaches the whole process group: the primary coordinates the shutdown, not each worker.
  process.on("SIGINT", () => {});
  cluster.worker?.once("disconnect", drainAndExit);
  return { ...handle, server: handle.server, workers: [process.pid] };
}

/**
 * Serves with `options.workers` preforked processes. In the primary, resolves once every worker
 * listens; in a worker, serves the app itself. `listen` starts one single-process server.
 *
 * @example
 * ```ts
 * const handle = await serveWorkers({ workers: 4, port: 8000 }, errors, (o) => listenOnce(app, o));
 * ```
 */
export async function serveWorkers(
  options: ServeOptions & { workers: number },
  errors: ErrorStream,
  listen: (options: ServeOptions) => Promise<ServerHandle>,
): Promise<ClusterHandle> {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new RangeError(`workers must be a whole number of at least 1, got ${options.workers}`);
  }
  if (cluster.isWorker) return serveWorker(options, listen);

  const hostname = options.hostname ?? "127.0.0.1";
  await checkPortFree(options.port ?? 8000, hostname);
  const live = new Map<number, Worker>();
  const listening = new Set<number>();
  let shuttingDown = false;
  let earlyDeaths = 0;
  let port = options.port ?? 8000;
  let ready: (() => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  let exited: (() => void) | undefined;

  const fork = () => {
    const worker = cluster.fork();
    live.set(worker.id, worker);
    worker.once("listening", (address) => {
      listening.add(worker.id);
      earlyDeaths = 0;
      // With port 0, cluster hands every worker the same port: the one the first worker got.
      if (address.port) port = address.port;
      if (listening.size === options.workers) ready?.();
    });
    worker.once("exit", (code, signal) => {
      live.delete(worker.id);
      const wasListening = listening.delete(worker.id);
      if (shuttingDown) {
        if (live.size === 0) exited?.();
        return;
      }
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!wasListening && ++earlyDeaths >= MAX_EARLY_DEATHS) {
        errors.write(`tsgi: workers keep exiting before they listen (last: ${how}); giving up\n`);
        failed?.(new Error(`a worker exited with ${how} before listening; see its error above`));
        void close().then(() => (process.exitCode = 1));
        return;
      }
      errors.write(`tsgi: worker ${worker.process.pid ?? "?"} exited with ${how}; starting a new one\n`);
      fork();
    });
  };

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      shuttingDown = true;
      if (live.size === 0) return resolve();
      exited = resolve;
      for (const worker of live.values()) worker.process.kill("SIGTERM");
      // Workers drain for up to shutdownTimeout; past that (plus slack), stop them.
      setTimeout(
        () => {
          for (const worker of live.values()) worker.process.kill("SIGKILL");
        },
        (options.shutdownTimeout ?? 10_000) + 5_000,
      ).unref();
    });
    return closed;
  };

  await new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
    for (let i = 0; i < options.workers; i++) fork();
  });
  ready = undefined;
  failed = undefined;
  if (options.signals ?? true) closeOnSignals(close, errors, undefined, options.shutdownTimeout ?? 10_000);
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    port,
    url: `http://${host}:${port}/`,
    server: undefined,
    get workers() {
      return [...live.values()].flatMap((w) => (w.process.pid === undefined ? [] : [w.process.pid]));
    },
    close,
  };
}
