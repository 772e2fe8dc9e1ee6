/**
 * Incoming, shared by every front door: reading an event's fields with their types checked, header
 * and query rebuilding, body decoding, the mount prefix, and the step from a mapped event to the
 * core's GatewayRequest.
 *
 * One text rule for every JSON string of an event (paths, header names and values, query, cookies,
 * addresses): its UTF-8 bytes, as latin-1 code units (spec rule 13). A field of the wrong type throws
 * {@link MalformedEventError} naming it; the handler answers 400.
 * @module
 */
import { Buffer } from "node:buffer";
import { percentDecode, percentEncode, splitTarget, utf8ToLatin1 } from "../../core/gateway.ts";
import type { ErrorStream, GatewayRequest, TsgiEvent, WaitUntil } from "../../core/gateway.ts";
import { MalformedEventError } from "./errors.ts";
import { eachValue, optionalFlag, optionalObject, optionalString, optionalText } from "./fields.ts";
import type { EventRequest, HttpEventKind, JsonObject, LambdaContext } from "./types.ts";

/**
 * Header pairs from the single- and multi-value maps (field names `singleField`, `multiField`); a name
 * in the multi-value map wins (it keeps repeats). Names and values follow the event text rule.
 */
export function headerPairs(
  single: unknown,
  singleField: string,
  multi?: unknown,
  multiField = "multiValueHeaders",
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const multiMap = optionalObject(multi, multiField);
  const singleMap = optionalObject(single, singleField);
  // for...in and no Set unless needed: this runs on every invocation.
  if (multiMap) for (const name in multiMap) addPairs(pairs, name, multiMap[name], multiField);
  if (singleMap) {
    // REST and ALB give every header in both maps under the same spelling: an own-key test settles
    // those; only a name spelt differently needs the case-insensitive set of the multi-value names.
    let multiNames: Set<string> | undefined;
    for (const name in singleMap) {
      if (singleMap[name] == null) continue;
      if (multiMap) {
        if (Object.hasOwn(multiMap, name) && multiMap[name] != null) continue;
        multiNames ??= lowerNames(multiMap);
        if (multiNames.has(name.toLowerCase())) continue;
      }
      addPairs(pairs, name, singleMap[name], singleField);
    }
  }
  return pairs;
}

/**
 * Adds the pairs of one header: a string value (the usual case, spared a closure) or a list. Names and
 * values are kept as the event's text: the core turns values into their UTF-8 bytes
 * (`headerValuesText`), and refuses a name that is not an ASCII token whatever its bytes.
 */
function addPairs(pairs: Array<[string, string]>, name: string, values: unknown, field: string): void {
  if (typeof values === "string") pairs.push([name, values]);
  else if (values != null) eachValue(values, `${field}.${name}`, (value) => pairs.push([name, value]));
}

/** The lower-cased names of a map's entries that hold a value. */
function lowerNames(map: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const name in map) if (map[name] != null) names.add(name.toLowerCase());
  return names;
}

/**
 * A query string rebuilt from parameter maps (REST, ALB and Lattice hand over no raw query): keys in
 * the order given, every repeated value kept, a key with an empty value written bare (`?flag`).
 * `encode` is for decoded parameters (REST); ALB and Lattice pass them still encoded.
 */
export function rebuildQuery(
  single: unknown,
  singleField: string,
  multi: unknown,
  multiField: string,
  encode: boolean,
): string {
  let query = "";
  const multiMap = optionalObject(multi, multiField);
  const singleMap = optionalObject(single, singleField);
  const addAll = (map: JsonObject, key: string, field: string) => {
    const name = escapeQuery(key, encode);
    eachValue(map[key], `${field}.${key}`, (value) => {
      const part = value === "" ? name : `${name}=${escapeQuery(value, encode)}`;
      query = query === "" ? part : `${query}&${part}`;
    });
  };
  // The single map is looked at only for keys the multi-value map lacks (REST and ALB fill both).
  if (multiMap) for (const key in multiMap) addAll(multiMap, key, multiField);
  if (singleMap) {
    for (const key in singleMap) {
      if (multiMap && Object.hasOwn(multiMap, key) && multiMap[key] != null) continue;
      addAll(singleMap, key, singleField);
    }
  }
  return query;
}

function escapeQuery(text: string, encode: boolean): string {
  return encode ? percentEncode(utf8ToLatin1(text)) : utf8ToLatin1(text);
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

/**
 * A query that arrived raw (HTTP API, Function URL, CloudFront): only its non-ASCII text becomes UTF-8 bytes.
 *
 * @example
 * ```ts
 * rawQuery("q=caf\u00e9", "rawQueryString"); // "q=caf\u00c3\u00a9"
 * ```
 */
export function rawQuery(value: unknown, field: string): string {
  return optionalText(value, field) ?? "";
}

/**
 * Whether `text`, which Node's lenient decoder turned into `decodedLength` bytes, is standard base64
 * as AWS writes it: padded, or (hand-made events) without the padding. Checked without a regular
 * expression over the text (on a body of megabytes one costs ten times the decoding, and a grouped
 * one overflowed the stack): the decoder skips or stops at anything outside the alphabet, so only a
 * text wholly of base64 characters decodes to the full length its characters stand for. The
 * URL-safe `-` and `_`, which the decoder also takes, are looked for apart.
 */
export function isBase64Text(text: string, decodedLength: number): boolean {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const data = text.length - padding;
  // Padded: whole quads, the last one holding 2 or 3 characters of data. Unpadded: a last group of
  // 2 or 3 characters, or none (a single leftover character encodes no byte).
  if (padding ? text.length % 4 !== 0 || data % 4 !== 4 - padding : data % 4 === 1) return false;
  return decodedLength === Math.floor((data * 3) / 4) && !text.includes("-") && !text.includes("_");
}

/**
 * The body bytes: base64 when the event says so, else the UTF-8 of the text. A body marked base64
 * that is not base64 is malformed, never decoded leniently.
 */
export function decodeBody(
  body: unknown,
  isBase64: unknown,
  field = "body",
  flagField = "isBase64Encoded",
): Uint8Array {
  const text = optionalString(body, field);
  const base64 = optionalFlag(isBase64, flagField);
  if (!text) return new Uint8Array(0);
  if (!base64) return Buffer.from(text, "utf8");
  const bytes = Buffer.from(text, "base64");
  if (!isBase64Text(text, bytes.byteLength))
    throw new MalformedEventError(field, `is marked ${flagField} but is not base64`);
  return bytes;
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
export function schemeOf(
  pairs: ReadonlyArray<readonly [string, string]>,
  header = "x-forwarded-proto",
): "http" | "https" {
  return lastHeader(pairs, header)?.split(",").at(-1)?.trim().toLowerCase() === "http" ? "http" : "https";
}

/**
 * ALB and VPC Lattice append the address they saw to X-Forwarded-For: its last entry is the trusted
 * REMOTE_ADDR. The header itself is delivered exactly as the load balancer sent it, so a proxy-fix
 * middleware that trusts one proxy works as it would behind an ALB on EC2 (spec rule 12).
 *
 * @example
 * ```ts
 * lastForwardedFor([["x-forwarded-for", "6.6.6.6, 10.0.0.1"]]); // "10.0.0.1"
 * ```
 */
export function lastForwardedFor(pairs: ReadonlyArray<readonly [string, string]>): string | undefined {
  let last: string | undefined;
  for (const [name, value] of pairs) {
    if (name.length !== 15 || name.toLowerCase() !== "x-forwarded-for") continue;
    for (const part of value.split(",")) {
      const entry = part.trim();
      if (entry) last = entry;
    }
  }
  // The header values are still the event's text (the core encodes them): REMOTE_ADDR is encoded here.
  return last === undefined ? undefined : utf8ToLatin1(last);
}

// The default endpoint of an API (also a private API's VPC endpoint name): only there does the stage
// name lead the path. On a custom domain the API mapping decides, and a stage segment would be the app's.
const EXECUTE_API_HOST = /^[a-z0-9-]+\.execute-api\.[a-z0-9-]+\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/i;

/** The mount the API Gateway put before the app's path: the custom-domain base path, or the stage. */
export function apiGatewayPrefix(
  stage: string | undefined,
  host: string | undefined,
  basePathMatched: string | undefined,
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

/** What the entry passes on to build a GatewayRequest, besides the mapped event. */
export interface RequestSetup {
  kind: HttpEventKind | "event";
  event: unknown;
  context: LambdaContext;
  basePath: string | undefined;
  errors: ErrorStream;
  waitUntil: WaitUntil;
  /** A non-HTTP event delivered through `eventPath`: environ `tsgi.event`. */
  tsgiEvent?: TsgiEvent | undefined;
  /** The event paths an HTTP request may not reach. */
  eventPaths?: readonly string[] | undefined;
}

/**
 * SERVER_NAME when no Host header arrived and the event names no domain (a hand-made test event).
 * The core takes SERVER_NAME from Host whenever there is one.
 *
 * @example
 * ```ts
 * environ.SERVER_NAME === PLACEHOLDER_SERVER_NAME; // a hand-made event without Host or domainName
 * ```
 */
export const PLACEHOLDER_SERVER_NAME = "localhost";

/**
 * The core's GatewayRequest for a mapped event. The front door already applied HTTP/1.1's Host rule
 * (RFC 9112 3.2), so an event without Host (an ALB health check, a console test event) still reaches
 * the app; no HTTP_HOST is invented for it: SERVER_NAME is the front door's domain name, else
 * {@link PLACEHOLDER_SERVER_NAME}, and SERVER_PORT is X-Forwarded-Port, else the scheme's default.
 */
export function toGatewayRequest(request: EventRequest, setup: RequestSetup): GatewayRequest {
  const headers = request.headers;
  const port = lastHeader(headers, "x-forwarded-port");
  return {
    method: request.method,
    target: request.target,
    headers,
    body: request.body,
    scheme: request.scheme,
    protocol: request.protocol,
    hostChecked: true,
    headerValuesText: true,
    // Lower-cased as the core does with a Host header's name.
    serverName: (request.domainName || PLACEHOLDER_SERVER_NAME).toLowerCase(),
    serverPort: port && /^\d+$/.test(port) ? port : request.scheme === "https" ? "443" : "80",
    remoteAddr: request.remoteAddr,
    scriptName: mountOf(request.target, request.platformPrefix, setup.basePath),
    errors: setup.errors,
    // One invocation at a time per execution environment; many environments side by side.
    multithread: false,
    multiprocess: true,
    waitUntil: setup.waitUntil,
    extras: extrasOf(request, setup),
    event: setup.tsgiEvent,
    eventPaths: setup.eventPaths,
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
  if (request.extras) Object.assign(extras, request.extras);
  return extras;
}
