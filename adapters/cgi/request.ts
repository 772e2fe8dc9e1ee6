/**
 * CGI incoming, as pure functions: the meta-variables of RFC 3875 section 4 to a GatewayRequest.
 * @module
 */
import {
  bytesToLatin1,
  DEFAULT_EVENT_PATHS,
  percentDecode,
  percentEncode,
  splitTarget,
  TsgiError,
} from "../../core/gateway.ts";
import type { BodySource, ErrorStream, GatewayRequest, WaitUntil } from "../../core/gateway.ts";

/** The CGI meta-variables, values as bytes-as-latin1 strings (one code unit per byte the server sent). */
export type CgiEnv = Readonly<Record<string, string | undefined>>;

/**
 * The process was not started by a web server as a CGI script (no `REQUEST_METHOD`).
 *
 * @example
 * ```ts
 * if (error instanceof NotCgiError) console.error(error.message);
 * ```
 */
export class NotCgiError extends TsgiError {
  constructor(message = "REQUEST_METHOD is not set: this process was not started as a CGI script") {
    super("TSGI_NOT_CGI", message);
  }
}

/**
 * Meta-variables of RFC 3875 (and common server additions) that the core environ has no source for.
 * They are passed on when set and non-empty; any other variable of the process is left out, so
 * that the server's own environment (PATH, HOME, secrets) never reaches the app as a CGI key.
 * PATH_TRANSLATED is left out too: it maps the server's PATH_INFO, which may differ from the one
 * rebuilt here (raw REQUEST_URI, `scriptName` override).
 */
const PASSED_ON = [
  "AUTH_TYPE",
  "GATEWAY_INTERFACE",
  "REMOTE_HOST",
  "REMOTE_IDENT",
  "REMOTE_USER",
  "SERVER_SOFTWARE",
  "SERVER_ADDR",
  "DOCUMENT_ROOT",
  "SCRIPT_FILENAME",
  "HTTPS",
] as const;

/** The keys a CGI environ may hold beyond the core environ (for tests comparing environs). */
export const CGI_EXTRA_KEYS: readonly string[] = PASSED_ON;

export interface CgiRequestOptions {
  /** Overrides the mount prefix: `""` when a rewrite sends every URL to the script. */
  scriptName?: string | undefined;
  /** Paths refused over HTTP (see `GatewayRequest.eventPaths`). Default `DEFAULT_EVENT_PATHS`. */
  eventPaths?: readonly string[] | undefined;
  /** See `GatewayRequest.appTimeout`. */
  appTimeout?: number | undefined;
}

function isHttps(env: CgiEnv): boolean {
  const https = env.HTTPS?.toLowerCase();
  return https === "on" || https === "1" || env.REQUEST_SCHEME?.toLowerCase() === "https";
}

/** `HTTP_X_FOO` back to a header pair; CONTENT_* come from their own meta-variables. */
function headerPairs(env: CgiEnv): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const length = env.CONTENT_LENGTH;
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("HTTP_") || value === undefined) continue;
    // The server sends CONTENT_* itself; some also copy them as HTTP_CONTENT_*.
    if (key === "HTTP_CONTENT_LENGTH" || key === "HTTP_CONTENT_TYPE") continue;
    // A server that de-chunked the body tells its length in CONTENT_LENGTH (RFC 3875 4.2): the
    // request has one framing here, and the core would refuse two as a smuggling attempt.
    if (key === "HTTP_TRANSFER_ENCODING" && length) continue;
    pairs.push([key.slice(5).toLowerCase().replaceAll("_", "-"), value]);
  }
  if (env.CONTENT_TYPE) pairs.push(["content-type", env.CONTENT_TYPE]);
  // RFC 3875 4.1.2 sets CONTENT_LENGTH only with a body; servers that say "0" for every GET
  // (lighttpd) would otherwise make CONTENT_LENGTH appear where the core environ has none.
  if (length && length !== "0") pairs.push(["content-length", length]);
  return pairs;
}

/**
 * The request target and mount prefix. The raw REQUEST_URI is preferred: the server decoded
 * PATH_INFO (`%2F` and `/` are one there) and may have normalized it. It is used when its decoded
 * path lies under the mount; otherwise (an internal redirect, or no REQUEST_URI) the target is
 * rebuilt from SCRIPT_NAME + PATH_INFO.
 */
function toTarget(env: CgiEnv, options: CgiRequestOptions): { target: string; mount: string; raw?: string } {
  const mount = options.scriptName ?? env.SCRIPT_NAME ?? "";
  const bare = mount.replace(/\/+$/, "");
  const raw = env.REQUEST_URI || undefined;
  if (raw !== undefined) {
    const path = percentDecode(splitTarget(raw).path);
    if (bare === "" || path === bare || path.startsWith(`${bare}/`)) return { target: raw, mount };
  }
  const query = env.QUERY_STRING ? `?${env.QUERY_STRING}` : "";
  const path = (env.SCRIPT_NAME ?? "") + (env.PATH_INFO ?? "");
  return raw === undefined
    ? { target: percentEncode(path) + query, mount }
    : { target: percentEncode(path) + query, mount, raw };
}

/**
 * Incoming: the CGI meta-variables as a platform-neutral GatewayRequest, so that the core builds the
 * environ by the same rules as on every other platform. Throws {@link NotCgiError} without
 * REQUEST_METHOD.
 *
 * @example
 * ```ts
 * const info = toGatewayRequest(process.env, stdinBody, {}, errors, waitUntil);
 * ```
 */
export function toGatewayRequest(
  env: CgiEnv,
  body: BodySource,
  options: CgiRequestOptions,
  errors: ErrorStream,
  waitUntil: WaitUntil,
): GatewayRequest {
  if (!env.REQUEST_METHOD) throw new NotCgiError();
  const { target, mount, raw } = toTarget(env, options);
  const extras: Record<string, string> = {};
  for (const key of PASSED_ON) {
    const value = env[key];
    if (value) extras[key] = value;
  }
  // A rebuilt target is not what the client sent: keep the server's REQUEST_URI as the raw one.
  if (raw !== undefined) extras.RAW_URI = extras.REQUEST_URI = raw;
  const length = env.CONTENT_LENGTH;
  const chunked = !length && env.HTTP_TRANSFER_ENCODING !== undefined;
  return {
    method: env.REQUEST_METHOD,
    target,
    headers: headerPairs(env),
    // No CONTENT_LENGTH means no body (RFC 3875 4.2), unless the server streams a chunked one to EOF.
    body: (length && length !== "0") || chunked ? body : null,
    scheme: isHttps(env) ? "https" : "http",
    protocol: env.SERVER_PROTOCOL || "HTTP/1.0",
    serverName: env.SERVER_NAME || "localhost",
    serverPort: env.SERVER_PORT || (isHttps(env) ? "443" : "80"),
    remoteAddr: env.REMOTE_ADDR || undefined,
    remotePort: env.REMOTE_PORT || undefined,
    scriptName: mount,
    errors,
    multithread: false,
    multiprocess: true,
    runOnce: true,
    waitUntil,
    extras,
    eventPaths: options.eventPaths ?? DEFAULT_EVENT_PATHS,
    strictHost: true,
    appTimeout: options.appTimeout,
  };
}

/**
 * The meta-variables of `NAME=value\0` bytes (Linux `/proc/self/environ`), values byte for byte.
 * `process.env` cannot give them: Node decodes env bytes as UTF-8, so `%FF` in a path or a latin-1
 * header value would arrive as U+FFFD.
 *
 * @example
 * ```ts
 * parseEnviron(readFileSync("/proc/self/environ")).PATH_INFO;
 * ```
 */
export function parseEnviron(raw: Uint8Array): Record<string, string> {
  const env: Record<string, string> = {};
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== 0) continue;
    const entry = bytesToLatin1(raw.subarray(start, i));
    start = i + 1;
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}
