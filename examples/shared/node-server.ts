/**
 * How the examples' node.ts entries start the local server (`npm start`, `start:jsonstore`,
 * `start:penny`): `PORT` and `HOST` from the environment, the access log on unless
 * `--no-access-log` is given, a graceful shutdown on Ctrl-C, and a one-line error with exit code 1
 * (never a stack) for a bad `PORT` or a port already in use.
 * @module
 */
import type { App } from "tsgi";
import { type ServerHandle, serve } from "tsgi/node";
import { fail, portFromEnv } from "./port.ts";

/**
 * Serves `app` as the examples do; resolves with the running server, having printed `banner(url)`.
 *
 * @example
 * ```ts
 * await serveExample(app, (url) => `tsgi hello example listening on ${url}`);
 * ```
 */
export async function serveExample(app: App, banner: (url: string) => string): Promise<ServerHandle> {
  const port = portFromEnv("PORT", 8000);
  const hostname = process.env.HOST ?? "127.0.0.1";
  const accessLog = !process.argv.includes("--no-access-log");
  try {
    const server = await serve(app, { port, hostname, accessLog, signals: true });
    console.log(banner(server.url));
    return server;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /already in use/.test(message) ? "; stop the other server or set PORT" : "";
    return fail(`${message}${hint}`);
  }
}
