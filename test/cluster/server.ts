/**
 * The preforked server the cluster tests start as a subprocess: `serve(app, { workers })` with an
 * app that names its worker, can sleep (`?sleep=ms`), and counts the requests it started.
 */
import cluster from "node:cluster";
import { serve } from "../../adapters/node.ts";
import type { App } from "../../core/index.ts";

let started = 0;
const app: App = async (environ, startResponse) => {
  started++;
  const ms = Number(/(?:^|&)sleep=(\d+)/.exec(environ.QUERY_STRING)?.[1] ?? 0);
  if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["X-Worker", String(process.pid)],
    ["X-Client-Port", String(environ.REMOTE_PORT)],
  ]);
  return [new TextEncoder().encode(`multiprocess=${String(environ["tsgi.multiprocess"])}\n`)];
};

if (cluster.isWorker) {
  process.on("exit", () => process.stderr.write(`test-worker ${process.pid} started ${started}\n`));
}
const handle = await serve(app, {
  port: 0,
  workers: Number(process.env.WORKERS ?? 2),
  shutdownTimeout: 5000,
});
if (cluster.isPrimary) console.log(JSON.stringify({ port: handle.port, workers: handle.workers }));
