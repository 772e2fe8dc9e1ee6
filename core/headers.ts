/**
 * Header rules: request headers into environ keys, and checks on the status and headers an app gives.
 * @module
 */
import { BadRequestError, InvalidHeaderError, InvalidStatusError } from "./errors.ts";
import type { HeaderList } from "./types.ts";
import { utf8ToLatin1 } from "./url.ts";

/**
 * RFC 9110 token characters: what a header name (and a method) may hold.
 *
 * @example
 * ```ts
 * TOKEN.test("X-Request-Id"); // true
 * ```
 */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Control characters (C0, DEL) and anything above U+00FF: never allowed in a response header value. */
const BAD_VALUE = /[\u0000-\u001f\u007f\u0100-\uffff]/;

/**
 * RFC 9110 section 7.6.1 connection-specific headers: the gateway's, never the app's (as wsgiref).
 *
 * @example
 * ```ts
 * HOP_BY_HOP.has("transfer-encoding"); // true
 * ```
 */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "trailers",
  "transfer-encoding",
  "upgrade",
]);

const STATUS = /^([1-5][0-9]{2}) ([^\u0000-\u001f\u007f\u0100-\uffff]+)$/;

/**
 * Splits and checks a status line (`"404 Not Found"`). Throws {@link InvalidStatusError}.
 *
 * @example
 * ```ts
 * parseStatus("404 Not Found"); // { code: 404, reason: "Not Found" }
 * ```
 */
export function parseStatus(status: unknown): { code: number; reason: string } {
  const { code, reason } = statusOf(status);
  return { code, reason };
}

/**
 * {@link parseStatus} without the copy: the checked status line's shared record, which the caller
 * must not change (the response state only reads it).
 * @internal
 */
export function statusOf(status: unknown): { readonly code: number; readonly reason: string } {
  const known = typeof status === "string" ? STATUSES.get(status) : undefined;
  if (known !== undefined) return known;
  const match = typeof status === "string" ? STATUS.exec(status) : null;
  if (!match) throw new InvalidStatusError(status);
  const parsed = { code: Number(match[1]), reason: match[2]! };
  if (STATUSES.size < STATUSES_LIMIT) STATUSES.set(status as string, parsed);
  return parsed;
}

// An app answers with a handful of status lines: each is checked by the regex once. Bounded, so that
// an app echoing arbitrary reasons cannot grow it. parseStatus's callers get a fresh object each time.
const STATUSES = new Map<string, { readonly code: number; readonly reason: string }>();
const STATUSES_LIMIT = 256;

/**
 * Checks an app's header list and returns a copy: an array of `[name, value]` string pairs, names
 * tokens, values without control characters or code units above U+00FF, no hop-by-hop header, no
 * `Status` header, at most one `Content-Length`, and that one all digits. Throws
 * {@link InvalidHeaderError}, so a response-splitting attempt never reaches a client.
 *
 * @example
 * ```ts
 * checkHeaders([["Content-Type", "text/plain"]]);
 * ```
 */
export function checkHeaders(headers: unknown): HeaderList {
  return checkHeaderList(headers).headers;
}

/**
 * {@link checkHeaders}, also handing on the Content-Length it found (as a number), so that the
 * gateway need not search the headers for it again.
 *
 * @example
 * ```ts
 * checkHeaderList([["Content-Length", "5"]]).contentLength; // 5
 * ```
 * @internal
 */
export function checkHeaderList(headers: unknown): {
  headers: HeaderList;
  contentLength: number | undefined;
} {
  if (!Array.isArray(headers))
    throw new InvalidHeaderError(headers, "headers must be an array of [name, value] pairs");
  const out: HeaderList = [];
  let contentLength: string | undefined;
  for (const pair of headers as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new InvalidHeaderError(pair, "each header must be a [name, value] pair");
    }
    const [name, value] = pair as [unknown, unknown];
    if (typeof name !== "string" || !TOKEN.test(name)) {
      throw new InvalidHeaderError(
        name,
        "the name must be a string of token characters (no colon, space or control)",
      );
    }
    if (typeof value !== "string") throw new InvalidHeaderError(name, "the value must be a string");
    if (BAD_VALUE.test(value)) {
      throw new InvalidHeaderError(
        name,
        "the value holds a control character (CR, LF, NUL...) or a code unit above U+00FF",
      );
    }
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      throw new InvalidHeaderError(name, "hop-by-hop headers are set by the gateway, not the app (PEP 3333)");
    }
    if (lower === "status")
      throw new InvalidHeaderError(name, "the status goes in the status argument, not a header");
    if (lower === "content-length") {
      if (!/^[0-9]+$/.test(value)) throw new InvalidHeaderError(name, "Content-Length must be digits only");
      if (contentLength !== undefined) throw new InvalidHeaderError(name, "Content-Length given twice");
      contentLength = value;
    }
    out.push([name, value]);
  }
  return { headers: out, contentLength: contentLength === undefined ? undefined : Number(contentLength) };
}

/**
 * The value of the first header called `name` (case-insensitive), or undefined.
 *
 * @example
 * ```ts
 * getHeader([["Content-Type", "text/html"]], "content-type"); // "text/html"
 * ```
 */
export function getHeader(
  headers: ReadonlyArray<readonly [string, string]>,
  name: string,
): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.length === lower.length && n.toLowerCase() === lower) return v;
  return undefined;
}

/** The CGI keys request headers give: `HTTP_*`, `CONTENT_TYPE`, `CONTENT_LENGTH`. */
export interface HeaderKeys {
  keys: Record<string, string>;
  /** The Host header, when one arrived. */
  host: string | undefined;
  /** The parsed Content-Length, when one arrived. */
  contentLength: number | undefined;
  /** Whether a Transfer-Encoding header arrived. */
  chunked: boolean;
}

// Headers whose repetition with different values makes the request ambiguous (RFC 9112 6.3, 3.2).
const SINGLE = new Set(["host", "content-length", "content-type"]);

/** Header values as bytes-as-latin1: a value with wider code units (from JSON events) is taken as UTF-8. */
function toByteString(value: string): string {
  // oxlint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(value) ? utf8ToLatin1(value) : value;
}

/**
 * A header value as environ holds it: bytes-as-latin1, blanks trimmed; throws on CR, LF or NUL.
 * `text`: the value is text (a JSON event), so every non-ASCII character stands for its UTF-8 bytes.
 */
function environValue(rawName: string, rawValue: string, text: boolean): string {
  // Nearly every value is printable ASCII with no blank at either end: one test settles it.
  if (PLAIN_VALUE.test(rawValue)) return rawValue;
  const value = (text ? utf8ToLatin1(rawValue) : toByteString(rawValue)).replace(/^[ \t]+|[ \t]+$/g, "");
  if (/[\r\n\0]/.test(value)) throw new BadRequestError(`invalid character in header ${rawName}`);
  return value;
}
const PLAIN_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

/** What a header name means for environ: its lower-case form and its key. */
interface HeaderName {
  lower: string;
  key: string;
  /**
   * The {@link addHeaderKeys} pass that last wrote this key; -1 for a name past the cache's bound.
   * Every cached spelling of one name shares one object, so the stamp belongs to the key.
   */
  pass: number;
}

// Counts addHeaderKeys calls. A cached name stamped with the current pass was seen earlier in this
// request (a repeated header, to be joined); any other has no key in the target yet.
let passes = 0;

// The same few header spellings arrive on every request: their checks and keys are worked out once.
// Bounded, so that a client sending endless new names cannot grow it; past the bound names are
// simply worked out each time. `null` marks a name that is dropped (it holds `_`).
const NAMES = new Map<string, HeaderName | null>();
const NAMES_LIMIT = 1024;

function headerName(rawName: string): HeaderName | null {
  let name = NAMES.get(rawName);
  if (name !== undefined) return name;
  if (rawName.includes("_")) name = null;
  else {
    if (!TOKEN.test(rawName)) throw new BadRequestError(`invalid header name ${JSON.stringify(rawName)}`);
    const lower = rawName.toLowerCase();
    const same = NAMES.get(lower);
    if (same) {
      // Another spelling of a cached name: the same object, so that they share the stamp.
      if (NAMES.size < NAMES_LIMIT) NAMES.set(rawName, same);
      return same;
    }
    const key =
      lower === "content-type"
        ? "CONTENT_TYPE"
        : lower === "content-length"
          ? "CONTENT_LENGTH"
          : `HTTP_${lower.toUpperCase().replaceAll("-", "_")}`;
    name = { lower, key, pass: 0 };
  }
  if (NAMES.size >= NAMES_LIMIT - 1) {
    if (name !== null) name.pass = -1;
    return name;
  }
  NAMES.set(rawName, name);
  // Also under its lower-case spelling, where other spellings of it find it.
  if (name !== null && name.lower !== rawName) NAMES.set(name.lower, name);
  return name;
}

/**
 * Turns raw request header pairs, in arrival order, into CGI keys. Repeated headers join with `, `
 * (Cookie with `; `); names holding `_` are dropped so that `X_Forwarded_For` cannot pose as
 * `X-Forwarded-For`; two different Host, Content-Length or Content-Type values throw
 * {@link BadRequestError}.
 *
 * @example
 * ```ts
 * headersToEnviron([["Accept", "a"], ["accept", "b"]]).keys; // { HTTP_ACCEPT: "a, b" }
 * ```
 */
export function headersToEnviron(pairs: ReadonlyArray<readonly [string, string]>): HeaderKeys {
  const keys: Record<string, string> = {};
  addHeaderKeys(keys, pairs);
  const length = keys.CONTENT_LENGTH;
  return {
    keys,
    host: keys.HTTP_HOST,
    contentLength: length === undefined ? undefined : Number(length),
    chunked: keys.HTTP_TRANSFER_ENCODING !== undefined,
  };
}

/**
 * {@link headersToEnviron} writing straight into `target` (the environ being built), which must hold
 * no header key yet: buildEnviron then needs no second object and no copy. What it returns is read
 * back from the keys: the host is `HTTP_HOST`, the length `CONTENT_LENGTH` (canonical digits).
 * `valuesChecked`: see `GatewayRequest.headerValuesChecked`.
 * @internal
 */
export function addHeaderKeys(
  target: object,
  pairs: ReadonlyArray<readonly [string, string]>,
  valuesChecked = false,
  valuesText = false,
): void {
  const keys = target as Record<string, string | undefined>;
  const pass = ++passes;
  // Set once a name past the cache's bound wrote a key without a stamp: from then on, look.
  let unstamped = false;
  let chunked = false;
  let contentLength = false;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const rawName = pair[0];
    const info = headerName(rawName);
    if (info === null) continue;
    const value = valuesChecked ? pair[1] : environValue(rawName, pair[1], valuesText);
    const { lower: name, key } = info;
    let previous: string | undefined;
    if (info.pass === -1) {
      unstamped = true;
      previous = keys[key];
    } else {
      if (info.pass === pass || unstamped) previous = keys[key];
      info.pass = pass;
    }
    if (name === "content-length") {
      // "5, 5" is one length sent twice (RFC 9110 8.6); anything else is not a length.
      const canonical = DIGITS.test(value) ? canonicalLength(value) : listedLength(value);
      if (previous !== undefined && previous !== canonical) {
        throw new BadRequestError("two different Content-Length headers");
      }
      keys[key] = canonical;
      contentLength = true;
      continue;
    }
    if (name === "transfer-encoding") chunked = true;
    if (previous === undefined) keys[key] = value;
    else if (SINGLE.has(name)) {
      if (previous !== value) throw new BadRequestError(`two different ${rawName} headers`);
    } else keys[key] = previous + (name === "cookie" ? "; " : ", ") + value;
  }
  if (chunked && contentLength) {
    // A request framed two ways is the classic smuggling vector (RFC 9112 6.3): refuse it.
    throw new BadRequestError("both Transfer-Encoding and Content-Length");
  }
}

const DIGITS = /^[0-9]+$/;

/** A Content-Length of digits only, in its canonical form (no leading zeros). */
function canonicalLength(digits: string): string {
  const length = Number(digits);
  if (!Number.isSafeInteger(length)) throw new BadRequestError("Content-Length too large");
  return String(length);
}

/** A Content-Length sent as a list (`5, 5`): valid only when every entry is the same length. */
function listedLength(value: string): string {
  const parts = value.split(",").map((p) => p.trim());
  if (!parts.every((p) => DIGITS.test(p)) || parts.some((p) => p !== parts[0])) {
    throw new BadRequestError("invalid Content-Length");
  }
  return canonicalLength(parts[0]!);
}
