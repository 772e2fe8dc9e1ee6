/**
 * Building the environ from a platform-neutral {@link GatewayRequest}.
 * @module
 */
import { BadRequestError } from "./errors.ts";
import { addHeaderKeys } from "./headers.ts";
import { createInput } from "./input.ts";
import type { Environ, GatewayRequest } from "./types.ts";
import { percentDecode, utf8ToLatin1 } from "./url.ts";

const VERSION: readonly [1, 0] = Object.freeze([1, 0] as const);
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ABSOLUTE_FORM = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]]*)(?::([0-9]*))?$/;

/**
 * Splits a raw request target into its path and query, without decoding either. The fragment is
 * dropped, an absolute-form target loses its scheme and authority, and `*` gives an empty path.
 *
 * @example
 * ```ts
 * splitTarget("/a%20b?x=1#top"); // { path: "/a%20b", query: "x=1" }
 * ```
 */
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
export function buildEnviron(info: GatewayRequest): Environ {
  if (!METHOD.test(info.method)) throw new BadRequestError("invalid request method");
  let target = info.target;
  // A printable-ASCII target needs neither the UTF-8 step nor the control-character check.
  if (!PLAIN_TARGET.test(target)) {
    // oxlint-disable-next-line no-control-regex
    if (/[^\u0000-\u00ff]/.test(target)) target = utf8ToLatin1(target);
    // oxlint-disable-next-line no-control-regex
    if (/[\u0000-\u0020\u007f]/.test(target))
      throw new BadRequestError("invalid character in request target");
  }
  let path: string;
  let query = "";
  if (target.charCodeAt(0) === 0x2f && !target.includes("#")) {
    // Origin form without a fragment, the usual case: split at the first `?` without splitTarget's
    // regex and result object.
    const q = target.indexOf("?");
    if (q === -1) path = target;
    else {
      path = target.slice(0, q);
      query = target.slice(q + 1);
    }
  } else {
    ({ path, query } = splitTarget(target));
    if (path !== "" && !path.startsWith("/")) throw new BadRequestError("request target must start with /");
  }
  // An absolute-form target names the authority, which wins over Host (RFC 9112 3.2.2).
  const absolute = target.charCodeAt(0) === 0x2f ? null : ABSOLUTE_FORM.exec(target);

  let pathInfo = percentDecode(path);
  if (info.eventPaths && info.event === undefined && isEventPath(pathInfo, info.eventPaths)) {
    throw new BadRequestError(`an HTTP request to an event path (${JSON.stringify(path)})`, 404);
  }
  let scriptName = "";
  if (info.scriptName) {
    const mount = normalizeMount(info.scriptName);
    if (mount && (pathInfo === mount || pathInfo.startsWith(`${mount}/`))) {
      scriptName = mount;
      pathInfo = pathInfo.slice(mount.length);
    }
  }

  // Written as one literal; the header keys are added to it below,
  // and SERVER_NAME, SERVER_PORT and CONTENT_LENGTH settled once they are known.
  const environ: Environ = {
    REQUEST_METHOD: info.method,
    SCRIPT_NAME: scriptName,
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    SERVER_NAME: info.serverName,
    SERVER_PORT: info.serverPort,
    SERVER_PROTOCOL: info.protocol,
    // RAW_URI / REQUEST_URI: the undecoded target, as gunicorn and uWSGI provide.
    RAW_URI: target,
    REQUEST_URI: target,
    "tsgi.version": VERSION,
    "tsgi.url_scheme": info.scheme,
    "tsgi.input": EMPTY_INPUT_PLACEHOLDER,
    "tsgi.errors": info.errors,
    "tsgi.multithread": info.multithread,
    "tsgi.multiprocess": info.multiprocess,
    "tsgi.run_once": info.runOnce ?? false,
    // tsgi.input ends at the end of the body even without CONTENT_LENGTH (werkzeug's wsgi.input_terminated).
    "tsgi.input_terminated": true,
    "tsgi.wait_until": info.waitUntil,
  };
  addHeaderKeys(environ, info.headers, info.headerValuesChecked === true, info.headerValuesText === true);
  const host = environ.HTTP_HOST;
  if (host === undefined && info.protocol === "HTTP/1.1" && info.hostChecked !== true) {
    throw new BadRequestError("HTTP/1.1 request without a Host header (RFC 9112 3.2)");
  }

  // SERVER_NAME and SERVER_PORT follow the Host header (as gunicorn does), so that one request gives
  // the same environ on every platform; the platform's own name is only a fallback.
  const strict = info.strictHost === true;
  if (host !== undefined && host !== "") {
    const parsed = parseHost(host, strict);
    environ.SERVER_NAME = parsed.name;
    environ.SERVER_PORT = parsed.port || (info.scheme === "https" ? "443" : "80");
  }
  if (absolute) {
    const parsed = parseHost(absolute[2]!, true);
    environ.SERVER_NAME = parsed.name;
    environ.SERVER_PORT = parsed.port || (absolute[1]!.toLowerCase() === "https" ? "443" : "80");
  }

  // A buffered body (Lambda) knows its length: CONTENT_LENGTH counts the bytes actually there.
  const declared = environ.CONTENT_LENGTH;
  let length = declared === undefined ? undefined : Number(declared);
  if (info.body instanceof Uint8Array && (length !== undefined || info.body.byteLength > 0)) {
    length = info.body.byteLength;
    environ.CONTENT_LENGTH = String(length);
  }
  environ["tsgi.input"] = createInput(info.body, length, info.onFirstRead);
  if (info.remoteAddr) environ.REMOTE_ADDR = info.remoteAddr;
  if (info.remotePort) environ.REMOTE_PORT = info.remotePort;
  if (info.extras) Object.assign(environ, info.extras);
  if (info.event !== undefined) environ["tsgi.event"] = info.event;
  return environ;
}

/**
 * The decoded path as a router might see it: dot segments resolved, repeated and trailing slashes
 * dropped, lower case (Express matches routes case-insensitively by default).
 */
function routeForm(path: string): string {
  const segments: string[] = [];
  for (const segment of path.toLowerCase().split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}`;
}

/**
 * The paths Workers deliver Cron Triggers and Queue batches to by default. Node, Fetch and CGI
 * refuse HTTP requests to them too (their `eventPaths` option), so an app written for Workers that
 * tells events apart by path cannot be fooled when it runs elsewhere.
 *
 * @example
 * ```ts
 * serve(app, { eventPaths: [...DEFAULT_EVENT_PATHS, "/jobs"] });
 * ```
 */
export const DEFAULT_EVENT_PATHS: readonly string[] = Object.freeze(["/__tsgi/scheduled", "/__tsgi/queue"]);

/** The route forms of a list of event paths, and a cheap test that rules most paths out. */
interface Reserved {
  routes: string[];
  /** Matches (any case) a path holding the last segment of some event path, which every spelling must. */
  probe: RegExp | undefined;
}

// Adapters pass the same array on every request: its route forms are worked out once.
const RESERVED = new WeakMap<readonly string[], Reserved>();

function reservedOf(eventPaths: readonly string[]): Reserved {
  let reserved = RESERVED.get(eventPaths);
  if (reserved) return reserved;
  const routes = eventPaths.map(routeForm).filter((route) => route !== "/");
  const words = routes.map((route) =>
    route.slice(route.lastIndexOf("/") + 1).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
  );
  reserved = { routes, probe: words.length ? new RegExp(words.join("|"), "i") : undefined };
  RESERVED.set(eventPaths, reserved);
  return reserved;
}

/** Whether decoded `path`, in any spelling, is one of the event paths or lies below one. */
export function isEventPath(path: string, eventPaths: readonly string[]): boolean {
  const { routes, probe } = reservedOf(eventPaths);
  // Dot segments, slashes and case aside, a spelling of an event path holds its last segment as is.
  if (!probe?.test(path)) return false;
  const route = routeForm(path);
  for (const reserved of routes) {
    if (route === reserved || route.startsWith(`${reserved}/`)) return true;
  }
  return false;
}

/** Printable ASCII: a target that needs neither the UTF-8 step nor the control-character check. */
const PLAIN_TARGET = /^[\x21-\x7e]+$/;

/** Stands in for tsgi.input until the body's length is known (the key keeps its place in the literal). */
const EMPTY_INPUT_PLACEHOLDER = undefined as unknown as Environ["tsgi.input"];

interface ParsedHost {
  name: string;
  /** The explicit port, or "" for the scheme's default. */
  port: string;
  /** Whether it is valid host syntax (see `GatewayRequest.strictHost`). */
  valid: boolean;
}

/** RFC 3986 host (reg-name without the comma, IPv4, or an IP literal) and port. */
const STRICT_HOST =
  /^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+;=]|%[0-9A-Fa-f]{2})+)(?::([0-9]{0,5}))?$/;

// The same Host value arrives on nearly every request: parsed once. Bounded, so that a client
// sending endless new values cannot grow it.
const HOSTS = new Map<string, ParsedHost>();
const HOSTS_LIMIT = 256;

/**
 * SERVER_NAME (lower case) and the port of a Host header (or of an absolute-form target's
 * authority); throws on an invalid one. `strict`: see `GatewayRequest.strictHost`.
 */
function parseHost(host: string, strict: boolean): ParsedHost {
  let parsed = HOSTS.get(host);
  if (parsed === undefined) {
    const match = HOST.exec(host);
    const strictMatch = STRICT_HOST.exec(host);
    parsed = {
      name: match?.[1]?.toLowerCase() ?? "",
      port: match?.[2] ?? "",
      valid: strictMatch !== null && Number(strictMatch[1] ?? 0) <= 65_535,
    };
    if (HOSTS.size < HOSTS_LIMIT) HOSTS.set(host, parsed);
  }
  if (parsed.name === "" || (strict && !parsed.valid)) {
    throw new BadRequestError(`invalid Host ${JSON.stringify(host.slice(0, 100))}`);
  }
  return parsed;
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
  /** Whether no task is pending, so that a caller can skip awaiting `settle()` (a turn of its own). */
  idle(): boolean;
} {
  return new WaitUntilTasks(onError);
}

const SETTLED = Promise.resolve();

/** The pending `tsgi.wait_until` tasks of one handler (or request), settled together. */
class WaitUntilTasks {
  #pending: Set<Promise<unknown>> | undefined;
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  // Arrow properties: `waitUntil` is handed on alone (as tsgi.wait_until), so `this` must stay bound.
  readonly waitUntil = (promise: unknown): void => {
    try {
      const pending = (this.#pending ??= new Set());
      const p: Promise<unknown> = Promise.resolve(promise).then(
        () => pending.delete(p),
        (error: unknown) => {
          pending.delete(p);
          this.#onError(error);
        },
      );
      pending.add(p);
    } catch (error) {
      this.#onError(error);
    }
  };

  readonly settle = (): Promise<void> => {
    if (!this.#pending?.size) return SETTLED;
    return this.#drain();
  };

  idle(): boolean {
    return !this.#pending?.size;
  }

  async #drain(): Promise<void> {
    while (this.#pending?.size) await Promise.allSettled(this.#pending);
  }
}
