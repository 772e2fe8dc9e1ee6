/**
 * The VPC Lattice front door (event versions 1 and 2): incoming event; the result has the ALB
 * single-value shape.
 * @module
 */
import { toSingleValueResult } from "./alb.ts";
import {
  decodeBody,
  headerPairs,
  lastForwardedFor,
  rawQuery,
  rebuildQuery,
  schemeOf,
  toTargetPath,
} from "./request.ts";
import type { EventRequest, FrontDoor, VpcLatticeEvent } from "./types.ts";

/**
 * Incoming: a VPC Lattice event. Version 1 may give the whole target in `raw_path` (then the query is
 * raw); otherwise the query is rebuilt from the parameters, which Lattice passes still encoded.
 * Values may be strings or arrays (version 2 lists repeats). REMOTE_ADDR is the last entry of
 * X-Forwarded-For; the header is delivered as Lattice sent it.
 */
function fromVpcLatticeEvent(event: VpcLatticeEvent): EventRequest {
  const headers = headerPairs(undefined, "headers", event.headers, "headers");
  const raw = event.raw_path ?? event.path ?? "/";
  const q = raw.indexOf("?");
  let target = toTargetPath(q === -1 ? raw : raw.slice(0, q), false);
  const query =
    q === -1
      ? event.queryStringParameters != null
        ? rebuildQuery(undefined, "", event.queryStringParameters, "queryStringParameters", false)
        : rebuildQuery(undefined, "", event.query_string_parameters, "query_string_parameters", false)
      : rawQuery(raw.slice(q + 1), "raw_path");
  if (query) target += `?${query}`;
  return {
    method: event.method,
    target,
    headers,
    body:
      event.isBase64Encoded != null
        ? decodeBody(event.body, event.isBase64Encoded)
        : decodeBody(event.body, event.is_base64_encoded, "body", "is_base64_encoded"),
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
 * VPC Lattice services.
 *
 * @example
 * ```ts
 * vpcLattice.toRequest(event).target; // "/testpath?order-id=1"
 * ```
 */
export const vpcLattice: FrontDoor<VpcLatticeEvent> = {
  kind: "vpc-lattice",
  streams: false,
  toRequest: fromVpcLatticeEvent,
  toResult: toSingleValueResult,
};
