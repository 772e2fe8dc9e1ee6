/**
 * `tsgi/cgi`: run a tsgi app as a CGI/1.1 script (RFC 3875), one process per request, in the
 * manner of PEP 3333's `run_with_cgi` example.
 *
 * @example
 * ```ts
 * // app.cgi.ts, run by the web server for each request
 * import { runCgi } from "tsgi/cgi";
 * import { app } from "./app.ts";
 * process.exit(await runCgi(app));
 * ```
 * @module
 */
import { readFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { createErrorStream, createWaitUntil, logError, serveRequest, utf8ToLatin1 } from "../core/gateway.ts";
import type { App, ErrorStream } from "../core/gateway.ts";
import { type CgiEnv, parseEnviron, toGatewayRequest } from "./cgi/request.ts";
import { createStdoutSink } from "./cgi/response.ts";

export { CGI_EXTRA_KEYS, type CgiEnv, NotCgiError, parseEnviron } from "./cgi/request.ts";

/** Set by the `tsgi` launcher when it re-executes node: the raw environment, base64. */
export const RAW_ENVIRON_KEY = "TSGI_RAW_ENVIRON";

export interface CgiOptions {
  /**
   * The mount prefix the app sees, overriding the server's SCRIPT_NAME: `""` when a rewrite sends
   * every URL to the script (lighttpd `url.rewrite`, Apache `RewriteRule`) so the app sits at the root.
   * Takes effect exactly when the server sets REQUEST_URI.
   */
  scriptName?: string;
  /**
   * The meta-variables, values as bytes-as-latin1 strings. By default the process environment,
   * read byte for byte from `/proc/self/environ` where it exists (process.env decodes the bytes as
   * UTF-8 and loses invalid ones).
   */
  env?: CgiEnv;
  /** The request body; `process.stdin` by default (read only when the app reads tsgi.input). */
  stdin?: Readable;
  /** Where the response goes; `process.stdout` by default. */
  stdout?: Writable;
  /** Where `tsgi.errors` goes; process.stderr by default (the server's error log). */
  errors?: ErrorStream;
  /** Paths no request may reach, in any spelling (404, logged). Default `DEFAULT_EVENT_PATHS`; `[]` reserves none. */
  eventPaths?: readonly string[];
  /** Milliseconds the app has for the response: 504 before the headers, exit 1 after. Default 0: none. */
  appTimeout?: number;
}

/** The process environment byte for byte where the platform allows, else from process.env. */
function processEnv(): CgiEnv {
  const passed = process.env[RAW_ENVIRON_KEY];
  try {
    return parseEnviron(passed ? Buffer.from(passed, "base64") : readFileSync("/proc/self/environ"));
  } catch {
    // Not Linux: process.env, whose values are exact for valid UTF-8 only.
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined) env[key] = utf8ToLatin1(value);
    }
    return env;
  }
}

/**
 * The body as a lazy iterable: stdin is touched only when the app reads `tsgi.input`, and the core
 * stops pulling at CONTENT_LENGTH, so the script never waits for an EOF the server may not send.
 */
function lazyBody(open: () => Readable, opened: () => void): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      opened();
      return open()[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    },
  };
}

/**
 * Runs `app` for the one request this process was started for and writes the response to stdout.
 * Resolves with the exit code for the process: 0 when the response completed, 1 when it was cut
 * off (the server then logs the failure), 2 when the process was not started as a CGI script.
 * Resolves after the `tsgi.wait_until` tasks settled. Never rejects.
 *
 * @example
 * ```ts
 * process.exit(await runCgi(app, { scriptName: "" }));
 * ```
 */
export async function runCgi(app: App, options: CgiOptions = {}): Promise<number> {
  const env = options.env ?? processEnv();
  const errors = options.errors ?? createErrorStream((line) => process.stderr.write(`${line}\n`));
  const stdout = options.stdout ?? process.stdout;
  let stdin: Readable | undefined;
  let exitCode = 0;
  const tasks = createWaitUntil((error) => logError(errors, "a tsgi.wait_until task failed", error));
  if (options.env === undefined && env.HTTP_PROXY !== undefined) {
    // httpoxy: a client's `Proxy:` header arrives as HTTP_PROXY, which HTTP clients in the app
    // could take as their proxy setting. It stays in environ, but leaves the process environment.
    delete process.env.HTTP_PROXY;
  }
  try {
    const body = lazyBody(
      () => options.stdin ?? process.stdin,
      () => (stdin = options.stdin ?? process.stdin),
    );
    const info = toGatewayRequest(env, body, options, errors, tasks.waitUntil);
    await serveRequest(
      app,
      info,
      createStdoutSink(stdout, () => (exitCode = 1)),
    );
    await tasks.settle();
  } catch (error) {
    logError(errors, "cannot run the CGI request", error);
    exitCode = 2;
  } finally {
    // An open stdin keeps the event loop alive; the request is over either way.
    stdin?.destroy();
  }
  return exitCode;
}
