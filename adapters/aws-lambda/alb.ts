/**
 * Application Load Balancer targets, in single-value or multi-value headers mode (a target group
 * setting that applies to both directions): incoming event and outgoing result.
 * @module
 */
import type { ResponseHead } from "../../core/index.ts";
import {
  type EventRequest,
  decodeBody,
  headerPairs,
  rebuildQuery,
  schemeOf,
  takeForwardedFor,
  toTargetPath,
} from "./request.ts";
import { FirstSpelling } from "./names.ts";
import type { EncodedBody } from "./response.ts";
import type { AlbEvent, AlbResult } from "./types.ts";

/**
 * Incoming: an ALB event as the request the client sent. ALB passes the path and the query
 * parameters still percent-encoded (it decodes neither); the query is rebuilt from them. Without
 * multi-value mode, ALB keeps only the last of repeated headers and query keys. REMOTE_ADDR is the
 * hop ALB appended to X-Forwarded-For.
 *
 * @example
 * ```ts
 * const request = fromAlbEvent(event, false);
 * ```
 */
export function fromAlbEvent(event: AlbEvent, keepForwardedFor: boolean): EventRequest {
  const multi = event.multiValueHeaders != null;
  const pairs = multi ? headerPairs(undefined, event.multiValueHeaders) : headerPairs(event.headers);
  const { headers, remoteAddr } = takeForwardedFor(pairs, keepForwardedFor);
  const query = multi
    ? rebuildQuery(undefined, event.multiValueQueryStringParameters, false)
    : rebuildQuery(event.queryStringParameters, undefined, false);
  const path = toTargetPath(event.path, false);
  return {
    method: event.httpMethod,
    target: query ? `${path}?${query}` : path,
    headers,
    body: decodeBody(event.body, event.isBase64Encoded),
    scheme: schemeOf(pairs),
    protocol: "HTTP/1.1",
    domainName: undefined,
    remoteAddr,
    platformPrefix: undefined,
    requestContext: event.requestContext,
    authorizer: undefined,
  };
}

/**
 * Single-value headers: repeated headers join with `, `, but Set-Cookie cannot be joined (a cookie's
 * Expires holds a comma): only the first is sent, and `warn` says how many were dropped.
 */
export function singleValueHeaders(
  head: ResponseHead,
  warn: (message: string) => void,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const names = new Map<string, string>();
  let cookies = 0;
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase();
    const key = names.get(lower);
    if (lower === "set-cookie" && ++cookies > 1) continue;
    if (key === undefined) {
      names.set(lower, name);
      headers[name] = value;
    } else headers[key] = `${headers[key]}, ${value}`;
  }
  if (cookies > 1) {
    warn(
      `the response sets ${cookies} cookies, but a single-value headers response carries one Set-Cookie: ` +
        `${cookies - 1} dropped (enable multi-value headers on the target group)`,
    );
  }
  return headers;
}

/**
 * Outgoing: the result in the mode the request came in. `statusDescription` carries the reason phrase.
 *
 * @example
 * ```ts
 * toAlbResult(head, { body: "hi", isBase64Encoded: false }, true, console.warn);
 * ```
 */
export function toAlbResult(
  head: ResponseHead,
  body: EncodedBody,
  multiValue: boolean,
  warn: (message: string) => void,
): AlbResult {
  const statusDescription = `${head.status} ${head.reason}`;
  if (!multiValue)
    return { statusCode: head.status, statusDescription, headers: singleValueHeaders(head, warn), ...body };
  const multiValueHeaders: Record<string, string[]> = {};
  const names = new FirstSpelling();
  for (const [name, value] of head.headers) {
    const first = names.firstOf(name);
    if (first === undefined) multiValueHeaders[name] = [value];
    else multiValueHeaders[first]!.push(value);
  }
  return { statusCode: head.status, statusDescription, multiValueHeaders, ...body };
}
