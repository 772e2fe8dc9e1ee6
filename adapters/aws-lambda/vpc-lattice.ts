/**
 * VPC Lattice (event versions 1 and 2): incoming event; the result has the ALB single-value shape.
 * @module
 */
import {
  type EventRequest,
  decodeBody,
  headerPairs,
  rebuildQuery,
  schemeOf,
  takeForwardedFor,
  toTargetPath,
} from "./request.ts";
import type { VpcLatticeEvent } from "./types.ts";

export { toAlbResult as toVpcLatticeResult } from "./alb.ts";

/**
 * Incoming: a VPC Lattice event. Version 1 may give the whole target in `raw_path` (then the query is
 * raw); otherwise the query is rebuilt from the parameters, which Lattice passes still encoded.
 * Values may be strings or arrays (version 2 lists repeats). REMOTE_ADDR is the hop Lattice appended to
 * X-Forwarded-For.
 *
 * @example
 * ```ts
 * const request = fromVpcLatticeEvent(event, false);
 * ```
 */
export function fromVpcLatticeEvent(event: VpcLatticeEvent, keepForwardedFor: boolean): EventRequest {
  const pairs = headerPairs(undefined, event.headers);
  const { headers, remoteAddr } = takeForwardedFor(pairs, keepForwardedFor);
  const raw = event.raw_path ?? event.path ?? "/";
  const q = raw.indexOf("?");
  let target = toTargetPath(q === -1 ? raw : raw.slice(0, q), false);
  const query =
    q === -1
      ? rebuildQuery(undefined, event.queryStringParameters ?? event.query_string_parameters, false)
      : raw.slice(q + 1);
  if (query) target += `?${query}`;
  return {
    method: event.method,
    target,
    headers,
    body: decodeBody(event.body, event.isBase64Encoded ?? event.is_base64_encoded),
    scheme: schemeOf(pairs),
    protocol: "HTTP/1.1",
    domainName: undefined,
    remoteAddr,
    platformPrefix: undefined,
    requestContext: event.requestContext,
    authorizer: undefined,
  };
}
