/**
 * Building the environ from a platform-neutral {@link RequestInfo}.
 * @module
 */
import { BadRequestError } from "./errors.ts";
import { headersToEnviron } from "./headers.ts";
import { createInput } from "./input.ts";
import type { Environ, RequestInfo } from "./types.ts";
import { percentDecode, utf8ToLatin1 } from "./url.ts";

const VERSION: readonly [1, 0] = Object.freeze([1, 0] as const);
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]]*)(?::([0-9]*))?$/;

/** Splits a raw request target into its path and query, without decoding either. */
export function splitTarget(target: string): { path: string; query: string } {
  if (target === "*") return { path: "", query: "" };
  let rest = target;
  const absolute = ABSOLUTE_FORM.exec(rest);
  if (absolute) rest = rest.slice(absolute[0].length) || "/";
  const hash = rest.indexOf("#");
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  return q === -1 ? { path: rest, query: "" } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/** Normalizes a mount prefix: `""` or `/x` without a trailing slash. */
function normalizeMount(scriptName: string | undefined): string {
  if (!scriptName) return "";
  let mount = scriptName.startsWith("/") ? scriptName : `/${scriptName}`;
  while (mount.endsWith("/")) mount = mount.slice(0, -1);
  return mount;
}

/**
 * Builds the environ of one request. Every call returns a fresh plain object that the app may
 * change. Throws {@link BadRequestError} for a request that cannot be served (the app is then not
 * called: answer `error.status`).
 *
 * @example
 * ```ts
 * const environ = buildEnviron({
 *   method: "GET", target: "/hello?x=1", headers: [["Host", "example.com"]], body: null,
 *   scheme: "https", protocol: "HTTP/1.1", serverName: "localhost", serverPort: "443",
 *   errors: createErrorStream(console.error), multithread: true, multiprocess: false,
 *   waitUntil: () => {},
 * });
 * environ.PATH_INFO; // "/hello"
 * ```
 */
export function buildEnviron(info: RequestInfo): Environ {
  if (!METHOD.test(info.method)) throw new BadRequestError("invalid request method");
  // eslint-disable-next-line no-control-regex
  const target = /[^\u0000-\u00ff]/.test(info.target) ? utf8ToLatin1(info.target) : info.target;
  if (/[\u0000-\u0020\u007f]/.test(target)) throw new BadRequestError("invalid character in request target");
  const { path, query } = splitTarget(target);
  if (path !== "" && !path.startsWith("/")) throw new BadRequestError("request target must start with /");
  const { keys, host, contentLength } = headersToEnviron(info.headers);
  if (host === undefined && info.protocol === "HTTP/1.1") {
    throw new BadRequestError("HTTP/1.1 request without a Host header (RFC 9112 3.2)");
  }

  let pathInfo = percentDecode(path);
  let scriptName = "";
  const mount = normalizeMount(info.scriptName);
  if (mount && (pathInfo === mount || pathInfo.startsWith(`${mount}/`))) {
    scriptName = mount;
    pathInfo = pathInfo.slice(mount.length);
  }

  // SERVER_NAME and SERVER_PORT follow the Host header (as gunicorn does), so that one request gives
  // the same environ on every platform; the platform's own name is only a fallback.
  let serverName = info.serverName;
  let serverPort = info.serverPort;
  if (host !== undefined && host !== "") {
    const match = HOST.exec(host);
    if (!match || match[1] === "") throw new BadRequestError("invalid Host header");
    serverName = match[1]!.toLowerCase();
    serverPort = match[2] || (info.scheme === "https" ? "443" : "80");
  }

  // A buffered body (Lambda) knows its length: CONTENT_LENGTH counts the bytes actually there.
  let length = contentLength;
  if (info.body instanceof Uint8Array && (length !== undefined || info.body.byteLength > 0)) {
    length = info.body.byteLength;
    keys.CONTENT_LENGTH = String(length);
  }

  const environ: Environ = {
    REQUEST_METHOD: info.method,
    SCRIPT_NAME: scriptName,
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    SERVER_NAME: serverName,
    SERVER_PORT: serverPort,
    SERVER_PROTOCOL: info.protocol,
    // RAW_URI / REQUEST_URI: the undecoded target, as gunicorn and uWSGI provide.
    RAW_URI: target,
    REQUEST_URI: target,
    ...keys,
    "tsgi.version": VERSION,
    "tsgi.url_scheme": info.scheme,
    "tsgi.input": createInput(info.body, length, info.onFirstRead),
    "tsgi.errors": info.errors,
    "tsgi.multithread": info.multithread,
    "tsgi.multiprocess": info.multiprocess,
    "tsgi.run_once": info.runOnce ?? false,
    // tsgi.input ends at the end of the body even without CONTENT_LENGTH (werkzeug's wsgi.input_terminated).
    "tsgi.input_terminated": true,
    "tsgi.wait_until": info.waitUntil,
  };
  if (info.remoteAddr) environ.REMOTE_ADDR = info.remoteAddr;
  if (info.remotePort) environ.REMOTE_PORT = info.remotePort;
  if (info.extras) Object.assign(environ, info.extras);
  return environ;
}

/**
 * Makes a `tsgi.wait_until` that never throws, and a `settle()` that waits for everything passed.
 *
 * @example
 * ```ts
 * const tasks = createWaitUntil((e) => console.error(e));
 * tasks.waitUntil(fetchSomething());
 * await tasks.settle();
 * ```
 */
export function createWaitUntil(onError: (error: unknown) => void): {
  waitUntil: (promise: unknown) => void;
  settle: () => Promise<void>;
} {
  const pending = new Set<Promise<unknown>>();
  return {
    waitUntil(promise: unknown) {
      try {
        const p: Promise<unknown> = Promise.resolve(promise).then(
          () => pending.delete(p),
          (error: unknown) => {
            pending.delete(p);
            onError(error);
          },
        );
        pending.add(p);
      } catch (error) {
        onError(error);
      }
    },
    async settle() {
      while (pending.size) await Promise.allSettled(pending);
    },
  };
}
