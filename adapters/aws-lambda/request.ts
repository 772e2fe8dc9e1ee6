/**
 * Incoming, shared by every event kind: header and query rebuilding, body decoding, the mount
 * prefix, and the step from a mapped event to the core's RequestInfo.
 * @module
 */
import { Buffer } from "node:buffer";
import { percentDecode, percentEncode, splitTarget, utf8ToLatin1 } from "../../core/index.ts";
import type { ErrorStream, RequestInfo, WaitUntil } from "../../core/index.ts";
import type { AwsAuthorizer, HttpEventKind, LambdaContext } from "./types.ts";

/** One event read as the HTTP request the front door received. */
export interface EventRequest {
  method: string;
  /** The request target: the path still percent-encoded, then `?` and the raw (or rebuilt) query. */
  target: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  scheme: "http" | "https";
  protocol: string;
  /** `requestContext.domainName`: SERVER_NAME when no Host header arrived. */
  domainName: string | undefined;
  remoteAddr: string | undefined;
  /** A decoded prefix the platform put before the app's path (API Gateway stage, custom-domain base path). */
  platformPrefix: string | undefined;
  requestContext: unknown;
  authorizer: AwsAuthorizer | undefined;
}

type Values = Record<string, string | string[] | null | undefined> | null | undefined;

/** Header pairs from the single- and multi-value maps; a name in the multi-value map wins (it keeps repeats). */
export function headerPairs(single: Values, multi?: Values): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  // for...in and no Set unless needed: this runs on every invocation.
  if (multi) {
    for (const name in multi) {
      const values = multi[name];
      if (values == null) continue;
      if (Array.isArray(values)) for (const value of values) pairs.push([name, String(value)]);
      else pairs.push([name, String(values)]);
    }
  }
  if (single) {
    // REST and ALB give every header in both maps under the same spelling: an own-key test settles
    // those; only a name spelt differently needs the case-insensitive set of the multi-value names.
    let multiNames: Set<string> | undefined;
    for (const name in single) {
      const values = single[name];
      if (values == null) continue;
      if (multi) {
        if (Object.hasOwn(multi, name) && multi[name] != null) continue;
        multiNames ??= lowerNames(multi);
        if (multiNames.has(name.toLowerCase())) continue;
      }
      if (Array.isArray(values)) for (const value of values) pairs.push([name, String(value)]);
      else pairs.push([name, String(values)]);
    }
  }
  return pairs;
}

/** The lower-cased names of a map's entries that hold a value. */
function lowerNames(map: NonNullable<Values>): Set<string> {
  const names = new Set<string>();
  for (const name in map) if (map[name] != null) names.add(name.toLowerCase());
  return names;
}

/**
 * A query string rebuilt from parameter maps (REST and ALB hand over no raw query): keys in the order
 * given, every repeated value kept, a key with an empty value written bare (`?flag`, `?204`).
 * `encode` is for decoded parameters (REST); ALB passes them still encoded.
 */
export function rebuildQuery(single: Values, multi: Values, encode: boolean): string {
  let query = "";
  const add = (key: string, value: string) => {
    const part =
      value === "" ? escapeQuery(key, encode) : `${escapeQuery(key, encode)}=${escapeQuery(value, encode)}`;
    query = query === "" ? part : `${query}&${part}`;
  };
  // for...in, and the single map looked at only for keys the multi-value map lacks (REST and ALB
  // fill both with the same keys).
  if (multi) {
    for (const key in multi) {
      const values = multi[key];
      if (values == null) continue;
      if (Array.isArray(values)) for (const value of values) add(key, String(value));
      else add(key, String(values));
    }
  }
  if (single) {
    for (const key in single) {
      const values = single[key];
      if (values == null || (multi && Object.hasOwn(multi, key) && multi[key] != null)) continue;
      if (Array.isArray(values)) for (const value of values) add(key, String(value));
      else add(key, String(values));
    }
  }
  return query;
}

function escapeQuery(text: string, encode: boolean): string {
  return encode ? percentEncode(utf8ToLatin1(text)) : text;
}

/**
 * A path from an event made safe as the path of a request target, for the core's one percent-decoding.
 * `decoded` (HTTP API) means the front door already decoded it: `%` is escaped too, so the decoding
 * gives back exactly these bytes. Otherwise the path is taken as still encoded, and only what can never
 * stand literally in an encoded path (controls, space, `?`, `#`, non-ASCII) is escaped, which leaves a
 * well-formed encoded path unchanged. Text is taken as UTF-8.
 */
export function toTargetPath(path: string, decoded: boolean): string {
  // The common path is plain ASCII with nothing to escape: returned as it is.
  if (path !== "" && (decoded ? PLAIN_DECODED_PATH : PLAIN_ENCODED_PATH).test(path)) return path;
  const bytes = utf8ToLatin1(path || "/");
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    out +=
      c <= 0x20 || c >= 0x7f || c === 0x3f || c === 0x23 || (decoded && c === 0x25)
        ? `%${c.toString(16).toUpperCase().padStart(2, "0")}`
        : bytes[i];
  }
  return out;
}
// Printable ASCII without `?` and `#` (and without `%` for a decoded path): what toTargetPath keeps.
const PLAIN_ENCODED_PATH = /^[\x21\x22\x24-\x3e\x40-\x7e]+$/;
const PLAIN_DECODED_PATH = /^[\x21\x22\x24\x26-\x3e\x40-\x7e]+$/;

/** The body bytes: base64 when the event says so, else the UTF-8 of the text. */
export function decodeBody(body: string | null | undefined, isBase64: boolean | undefined): Uint8Array {
  if (!body) return new Uint8Array(0);
  return isBase64 ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}

/** The value of the last header called `name`, or undefined. */
export function lastHeader(
  pairs: ReadonlyArray<readonly [string, string]>,
  name: string,
): string | undefined {
  // From the end, by index: it runs several times per invocation over a dozen headers, and the last
  // match is the first one met backwards; only a name of the right length is lower-cased.
  for (let i = pairs.length - 1; i >= 0; i--) {
    const pair = pairs[i]!;
    const n = pair[0];
    if (n.length === name.length && (n === name || n.toLowerCase() === name)) return pair[1];
  }
  return undefined;
}

/** `https` unless the front door says `http` in X-Forwarded-Proto (API Gateway and Function URLs are TLS only). */
export function schemeOf(pairs: ReadonlyArray<readonly [string, string]>): "http" | "https" {
  return lastHeader(pairs, "x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase() === "http"
    ? "http"
    : "https";
}

const isXff = (name: string) => name.toLowerCase() === "x-forwarded-for";

/**
 * ALB and VPC Lattice append the client address to X-Forwarded-For: that last hop is the trusted
 * REMOTE_ADDR. It is moved out of the header (unless `keep`), so the app sees the X-Forwarded-For the
 * client sent, as it would without the load balancer (spec rule 13); the header as delivered stays in
 * `aws.event`.
 */
export function takeForwardedFor(
  pairs: Array<[string, string]>,
  keep: boolean,
): { headers: Array<[string, string]>; remoteAddr: string | undefined } {
  const chain = pairs
    .filter(([n]) => isXff(n))
    .flatMap(([, v]) => v.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  const remoteAddr = chain.pop();
  if (keep || remoteAddr === undefined) return { headers: pairs, remoteAddr };
  const headers: Array<[string, string]> = [];
  let placed = false;
  for (const [name, value] of pairs) {
    if (!isXff(name)) headers.push([name, value]);
    else if (!placed && chain.length) {
      headers.push([name, chain.join(", ")]);
      placed = true;
    }
  }
  return { headers, remoteAddr };
}

// The default endpoint of an API (also a private API's VPC endpoint name): only there does the stage
// name lead the path. On a custom domain the API mapping decides, and a stage segment would be the app's.
const EXECUTE_API_HOST = /^[a-z0-9-]+\.execute-api\.[a-z0-9-]+\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/i;

/** The mount the API Gateway put before the app's path: the custom-domain base path, or the stage. */
export function apiGatewayPrefix(
  stage: string | undefined,
  host: string | undefined,
  basePathMatched: string | null | undefined,
): string | undefined {
  const base = basePathMatched?.replace(/^\/+|\/+$/g, "");
  if (base && base !== "(none)") return `/${base}`;
  if (!stage || stage === "$default") return undefined;
  const hostname = host?.replace(/:\d*$/, "");
  return hostname && EXECUTE_API_HOST.test(hostname) ? `/${stage}` : undefined;
}

/** Normalizes a mount to `""` or `/x` (no trailing slash), as bytes-as-latin1. */
function normalizeMount(mount: string | undefined): string {
  if (!mount) return "";
  let out = utf8ToLatin1(mount.startsWith("/") ? mount : `/${mount}`);
  while (out.endsWith("/")) out = out.slice(0, -1);
  return out;
}

/** Whether decoded `path` starts with `mount` on a segment boundary. */
function startsWithSegment(path: string, mount: string): boolean {
  return mount !== "" && (path === mount || path.startsWith(`${mount}/`));
}

/** SCRIPT_NAME for a request: the platform prefix when the path starts with it, then the configured base path. */
export function mountOf(
  target: string,
  platformPrefix: string | undefined,
  basePath: string | undefined,
): string {
  if (!platformPrefix && !basePath) return "";
  const path = percentDecode(splitTarget(target).path);
  let mount = "";
  const prefix = normalizeMount(platformPrefix);
  if (startsWithSegment(path, prefix)) mount = prefix;
  const base = normalizeMount(basePath);
  if (startsWithSegment(path.slice(mount.length), base)) mount += base;
  return mount;
}

/** What the entry passes on to build a RequestInfo, besides the mapped event. */
export interface RequestSetup {
  kind: HttpEventKind | "event";
  event: unknown;
  context: LambdaContext;
  basePath: string | undefined;
  errors: ErrorStream;
  waitUntil: WaitUntil;
}

/**
 * The core's RequestInfo for a mapped event. HTTP/1.1 requires a Host, and the front door had one,
 * but console test events and some samples leave it out: then `requestContext.domainName` stands in.
 */
export function toRequestInfo(request: EventRequest, setup: RequestSetup): RequestInfo {
  const headers = request.headers;
  if (lastHeader(headers, "host") === undefined && request.domainName)
    headers.push(["Host", request.domainName]);
  const port = lastHeader(headers, "x-forwarded-port");
  return {
    method: request.method,
    target: request.target,
    headers,
    body: request.body,
    scheme: request.scheme,
    protocol: request.protocol,
    serverName: request.domainName ?? "localhost",
    serverPort: port && /^\d+$/.test(port) ? port : request.scheme === "https" ? "443" : "80",
    remoteAddr: request.remoteAddr,
    scriptName: mountOf(request.target, request.platformPrefix, setup.basePath),
    errors: setup.errors,
    // One invocation at a time per execution environment; many environments side by side.
    multithread: false,
    multiprocess: true,
    waitUntil: setup.waitUntil,
    extras: extrasOf(request, setup),
  };
}

/** The `aws.*` environ keys; a key whose value is missing is left out. */
function extrasOf(request: EventRequest, setup: RequestSetup): Record<string, unknown> {
  // Written out rather than filtered from a list: this runs on every invocation.
  const extras: Record<string, unknown> = {};
  if (setup.event !== undefined) extras["aws.event"] = setup.event;
  extras["aws.context"] = setup.context;
  if (request.requestContext !== undefined) extras["aws.request_context"] = request.requestContext;
  extras["aws.event_kind"] = setup.kind;
  if (request.authorizer !== undefined) extras["aws.authorizer"] = request.authorizer;
  if (setup.context.awsRequestId !== undefined) extras["aws.request_id"] = setup.context.awsRequestId;
  return extras;
}
