/**
 * The Application Load Balancer front door, in single-value or multi-value headers mode (a target
 * group setting that applies to both directions): incoming event and outgoing result.
 * @module
 */
import type { ResponseHead } from "../../core/gateway.ts";
import { defineKey, multiValueHeaders } from "./names.ts";
import {
  decodeBody,
  headerPairs,
  lastForwardedFor,
  rebuildQuery,
  schemeOf,
  toTargetPath,
} from "./request.ts";
import type { AlbEvent, AlbResult, EncodedBody, EventRequest, FrontDoor } from "./types.ts";

/**
 * Incoming: an ALB event as the request the client sent. ALB passes the path and the query
 * parameters still percent-encoded (it decodes neither); the query is rebuilt from them. Without
 * multi-value mode, ALB keeps only the last of repeated headers and query keys. REMOTE_ADDR is the
 * last entry of X-Forwarded-For (the hop ALB appended); the header is delivered as ALB sent it.
 */
function fromAlbEvent(event: AlbEvent, multi: boolean): EventRequest {
  const headers = multi
    ? headerPairs(undefined, "headers", event.multiValueHeaders)
    : headerPairs(event.headers, "headers");
  const query = multi
    ? rebuildQuery(
        undefined,
        "queryStringParameters",
        event.multiValueQueryStringParameters,
        "multiValueQueryStringParameters",
        false,
      )
    : rebuildQuery(
        event.queryStringParameters,
        "queryStringParameters",
        undefined,
        "multiValueQueryStringParameters",
        false,
      );
  const path = toTargetPath(event.path, false);
  return {
    method: event.httpMethod,
    target: query ? `${path}?${query}` : path,
    headers,
    body: decodeBody(event.body, event.isBase64Encoded),
    scheme: schemeOf(headers),
    protocol: "HTTP/1.1",
    domainName: undefined,
    remoteAddr: lastForwardedFor(headers),
    platformPrefix: undefined,
    requestContext: event.requestContext,
    authorizer: undefined,
  };
}

/**
 * Single-value headers: repeated headers join with `, `, but Set-Cookie cannot be joined (a cookie's
 * Expires holds a comma): only the first is sent, and `warn` says how many were dropped.
 *
 * @example
 * ```ts
 * singleValueHeaders(head, console.warn); // { "Content-Type": "text/plain" }
 * ```
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
      defineKey(headers, name, value);
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
 * Outgoing, single-value mode (also VPC Lattice's result). `statusDescription` carries the reason phrase.
 *
 * @example
 * ```ts
 * toSingleValueResult(head, { body: "hi", isBase64Encoded: false }, console.warn);
 * ```
 */
export function toSingleValueResult(
  head: ResponseHead,
  body: EncodedBody,
  warn: (message: string) => void,
): AlbResult {
  const statusDescription = `${head.status} ${head.reason}`;
  return { statusCode: head.status, statusDescription, headers: singleValueHeaders(head, warn), ...body };
}

/**
 * ALB targets without multi-value headers.
 *
 * @example
 * ```ts
 * alb.toRequest(event).remoteAddr; // the last X-Forwarded-For entry
 * ```
 */
export const alb: FrontDoor<AlbEvent> = {
  kind: "alb",
  streams: false,
  toRequest: (event) => fromAlbEvent(event, false),
  toResult: toSingleValueResult,
};

/**
 * ALB targets with multi-value headers on: repeated headers and every Set-Cookie kept.
 *
 * @example
 * ```ts
 * albMultiValue.toResult(head, body, console.warn).multiValueHeaders;
 * ```
 */
export const albMultiValue: FrontDoor<AlbEvent> = {
  kind: "alb-multi-value",
  streams: false,
  toRequest: (event) => fromAlbEvent(event, true),
  toResult: (head, body) => ({
    statusCode: head.status,
    statusDescription: `${head.status} ${head.reason}`,
    multiValueHeaders: multiValueHeaders(head.headers),
    ...body,
  }),
};
