/**
 * Access log lines in gunicorn's default format (the Apache "combined" format: Common Log Format
 * plus referer and user agent) with the time the request took at the end, shared by `serve()`, the
 * `tsgi` command and the local emulators (scripts/dev-lambda.ts):
 *
 *     127.0.0.1 - - [01/Dec/2026:16:50:00 +0000] "GET /caf%C3%A9 HTTP/1.1" 200 37 "-" "curl/8.5.0" 1.2ms
 *
 * The request line is the raw target as received (not decoded), as gunicorn and Apache log it.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** What one access log line says about a request. */
export interface AccessLogEntry {
  /** The client address; `-` when unknown. */
  remoteAddr: string | undefined;
  /** When the request arrived. */
  time: Date;
  method: string;
  /** The raw request target (`/path?query`). */
  target: string;
  /** `HTTP/1.1`. */
  protocol: string;
  status: number;
  /** Response body bytes sent; `-` when unknown. */
  bytes: number | string | undefined;
  referer: string | undefined;
  userAgent: string | undefined;
  /** How long the request took, in milliseconds. */
  durationMs: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** `[01/Dec/2026:16:50:00 +0000]`: CLF's time, in the server's local zone as Apache writes it. */
function clfTime(time: Date): string {
  const offset = -time.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return (
    `[${pad(time.getDate())}/${MONTHS[time.getMonth()]}/${time.getFullYear()}:` +
    `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())} ${zone}]`
  );
}

/** A quoted field: quotes and control characters escaped, so a header cannot forge a log line. */
function quoted(value: string | undefined): string {
  if (value === undefined || value === "") return '"-"';
  // oxlint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) =>
    c === '"' || c === "\\" ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return `"${escaped}"`;
}

/**
 * One access log line (without the newline).
 *
 * @example
 * ```ts
 * formatAccessLog({ remoteAddr: "127.0.0.1", time: new Date(), method: "GET", target: "/",
 *   protocol: "HTTP/1.1", status: 200, bytes: 12, referer: undefined, userAgent: "curl/8.5.0",
 *   durationMs: 1.2 });
 * // 127.0.0.1 - - [01/Dec/2026:16:50:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8.5.0" 1.2ms
 * ```
 */
export function formatAccessLog(entry: AccessLogEntry): string {
  const request = quoted(`${entry.method} ${entry.target} ${entry.protocol}`);
  const bytes = entry.bytes === undefined || entry.bytes === "" ? "-" : String(entry.bytes);
  return (
    `${entry.remoteAddr || "-"} - - ${clfTime(entry.time)} ${request} ${entry.status} ${bytes} ` +
    `${quoted(entry.referer)} ${quoted(entry.userAgent)} ${entry.durationMs.toFixed(1)}ms`
  );
}

/** Where access log lines go: `true` is standard output; a function receives each line. */
export type AccessLog = boolean | ((line: string) => void);

/**
 * Logs `req` once its response has finished (or the client went away: then the status is the
 * one set so far), through `log`.
 *
 * @example
 * ```ts
 * createServer((req, res) => {
 *   logWhenDone(req, res, (line) => console.log(line));
 *   res.end("ok");
 * });
 * ```
 */
export function logWhenDone(req: IncomingMessage, res: ServerResponse, log: (line: string) => void): void {
  const time = new Date();
  const started = performance.now();
  // The body bytes handed to Node (the head goes out through writeHead, which getHeader cannot see).
  let bytes = 0;
  const count = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === "string") {
      bytes += Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    } else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const { write, end } = res;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    count(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse["write"];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== "function") count(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse["end"];
  res.once("close", () => {
    log(
      formatAccessLog({
        remoteAddr: req.socket.remoteAddress?.replace(/^::ffff:/, ""),
        time,
        method: req.method ?? "-",
        target: req.url ?? "-",
        protocol: `HTTP/${req.httpVersion}`,
        status: res.statusCode,
        bytes,
        referer: req.headers.referer,
        userAgent: req.headers["user-agent"],
        durationMs: performance.now() - started,
      }),
    );
  });
}

/**
 * The line writer for an {@link AccessLog} option, or undefined when it is off.
 *
 * @example
 * ```ts
 * accessLogWriter(true)?.("127.0.0.1 - - [...] \"GET / HTTP/1.1\" 200 2 \"-\" \"-\" 0.3ms");
 * ```
 */
export function accessLogWriter(option: AccessLog | undefined): ((line: string) => void) | undefined {
  if (!option) return undefined;
  if (option === true) return (line) => process.stdout.write(`${line}\n`);
  return option;
}
