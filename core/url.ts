/**
 * Bytes-as-latin1 strings, percent-decoding and PEP 3333 URL reconstruction.
 *
 * CGI strings in environ carry bytes, one code unit per byte (latin-1). `TextDecoder("latin1")` is
 * really windows-1252 (0x80 becomes U+20AC) and `decodeURIComponent` decodes UTF-8 and throws on
 * `%FF`, so both conversions here are plain code-unit loops.
 * @module
 */
import type { Environ } from "./types.ts";

const utf8Encoder = new TextEncoder();

/**
 * Bytes to a bytes-as-latin1 string (one code unit per byte).
 *
 * @example
 * ```ts
 * bytesToLatin1(new Uint8Array([0xc3, 0xa9])); // "\u00c3\u00a9"
 * ```
 */
export function bytesToLatin1(bytes: Uint8Array): string {
  let out = "";
  // Chunked String.fromCharCode keeps argument lists below engine limits.
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}

/**
 * A bytes-as-latin1 string back to bytes. Throws a `RangeError` on a code unit above 0xFF.
 *
 * @example
 * ```ts
 * latin1ToBytes("\u00ff"); // Uint8Array [255]
 * ```
 */
export function latin1ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff)
      throw new RangeError(`code unit U+${c.toString(16).padStart(4, "0")} at ${i} is not a byte`);
    out[i] = c;
  }
  return out;
}

/**
 * Reads a bytes-as-latin1 environ string (such as PATH_INFO) as UTF-8 text.
 * Invalid UTF-8 becomes U+FFFD unless `fatal` is set, which throws a `TypeError` instead.
 *
 * @example
 * ```ts
 * latin1ToUtf8(environ.PATH_INFO); // "/café" for a request to /caf%C3%A9
 * ```
 */
export function latin1ToUtf8(text: string, options: { fatal?: boolean } = {}): string {
  return new TextDecoder("utf-8", { fatal: options.fatal ?? false }).decode(latin1ToBytes(text));
}

/**
 * Text to its UTF-8 bytes as a bytes-as-latin1 string: the form environ strings take.
 *
 * @example
 * ```ts
 * utf8ToLatin1("é"); // "\u00c3\u00a9"
 * ```
 */
export function utf8ToLatin1(text: string): string {
  // ASCII is the same in both forms; checking for it is far cheaper than encoding (paths, queries).
  if (ASCII.test(text)) return text;
  if (text.length > SHORT_TEXT) return bytesToLatin1(utf8Encoder.encode(text));
  // Short text (a query parameter, a header value from an event): encoded by hand, which costs less
  // than TextEncoder's new byte array and the pass that turns it back into a string.
  let out = "";
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) out += text[i];
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = c <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (next >= 0xdc00 && next <= 0xdfff) {
          const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          out += String.fromCharCode(
            0xf0 | (point >> 18),
            0x80 | ((point >> 12) & 0x3f),
            0x80 | ((point >> 6) & 0x3f),
            0x80 | (point & 0x3f),
          );
          i++;
          continue;
        }
        c = 0xfffd; // a lone surrogate, as TextEncoder encodes it
      }
      out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  return out;
}
const ASCII = /^[\x00-\x7f]*$/;
const SHORT_TEXT = 256;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Percent-decodes to bytes, one code unit per byte, never as UTF-8. Malformed escapes (`%zz`, a
 * trailing `%`) stay literal. `%2F` becomes `/` (as CGI and PEP 3333 servers do).
 *
 * @example
 * ```ts
 * percentDecode("/a%20b/%FF/%zz"); // "/a b/\u00ff/%zz"
 * ```
 */
export function percentDecode(text: string): string {
  const first = text.indexOf("%");
  if (first === -1) return text;
  let out = text.slice(0, first);
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out += String.fromCharCode(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// RFC 3986 unreserved characters plus "/": what Python's urllib.parse.quote keeps by default.
const ALL_SAFE = /^[A-Za-z0-9_.\-~/]*$/;
const HEX = "0123456789ABCDEF";

/** Whether percentEncode keeps code unit `c` (the characters of ALL_SAFE). */
function kept(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x2d && c <= 0x39) || // - . / 0-9
    c === 0x5f || // _
    c === 0x7e // ~
  );
}

/**
 * Percent-encodes a bytes-as-latin1 string, keeping unreserved characters and `/`.
 *
 * @example
 * ```ts
 * percentEncode("/a b/\u00ff"); // "/a%20b/%FF"
 * ```
 */
export function percentEncode(text: string): string {
  if (ALL_SAFE.test(text)) return text;
  let out = "";
  // By code unit against a table, not a regex test per character.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (kept(c)) out += text[i];
    else if (c > 0xff) throw new RangeError("percentEncode takes a bytes-as-latin1 string");
    else out += `%${HEX[c >> 4]}${HEX[c & 0xf]}`;
  }
  return out;
}

/**
 * The scheme, host and port part of the request URL, as PEP 3333's URL reconstruction builds it.
 *
 * @example
 * ```ts
 * hostUrl(environ); // "https://example.com"
 * ```
 */
export function hostUrl(environ: Environ): string {
  const scheme = environ["tsgi.url_scheme"];
  const host = environ["HTTP_HOST"];
  if (typeof host === "string" && host !== "") return `${scheme}://${host}`;
  const port = environ.SERVER_PORT;
  const defaultPort = scheme === "https" ? "443" : "80";
  return `${scheme}://${environ.SERVER_NAME}${port === defaultPort ? "" : `:${port}`}`;
}

/**
 * The URL of the application root (scheme, host, quoted SCRIPT_NAME).
 *
 * @example
 * ```ts
 * applicationUri(environ); // "https://example.com/api"
 * ```
 */
export function applicationUri(environ: Environ): string {
  return hostUrl(environ) + percentEncode(environ.SCRIPT_NAME);
}

/**
 * The full request URL rebuilt per PEP 3333 (quoted SCRIPT_NAME and PATH_INFO, then the query).
 *
 * @example
 * ```ts
 * requestUri(environ); // "https://example.com/api/items?x=1"
 * requestUri(environ, { query: false }); // "https://example.com/api/items"
 * ```
 */
export function requestUri(environ: Environ, options: { query?: boolean } = {}): string {
  let url = applicationUri(environ) + percentEncode(environ.PATH_INFO);
  if ((options.query ?? true) && environ.QUERY_STRING) url += `?${environ.QUERY_STRING}`;
  return url;
}
