/**
 * How the examples' node.ts entries start the local server (`npm start`, `start:jsonstore`,
 * `start:penny`): `PORT` and `HOST` from the environment, the access log on unless
 * `--no-access-log` is given, a graceful shutdown on Ctrl-C, and a one-line error with exit code 1
 * (never a stack) for a bad `PORT` or a port already in use.
 * @module
 */
import type { App } from "tsgi";
import { type ServerHandle, serve } from "tsgi/node";

/**
 * Reads a port number from the environment variable `name`; exits with a one-line error if it is
 * not a whole number from 0 to 65535.
 *
 * @example
 * ```ts
 * const port = portFromEnv("PORT", 8000);
 * ```
 */
export function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    fail(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function fail(message: string): never {
  process.stderr.write(`tsgi: ${message}\n`);
  process.exit(1);
}

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
