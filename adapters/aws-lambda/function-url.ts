/**
 * Lambda Function URLs: the 2.0 payload shape, with two differences from an HTTP API. The path
 * arrives still percent-encoded, and there is no stage or API mapping to strip.
 * @module
 */
import { fromApiGatewayV2Event } from "./api-gateway-v2.ts";
import type { EventRequest } from "./request.ts";
import type { ApiGatewayV2Event } from "./types.ts";

export { toApiGatewayV2Result as toFunctionUrlResult } from "./api-gateway-v2.ts";

/**
 * Incoming: a Function URL event as the request the client sent.
 *
 * @example
 * ```ts
 * const request = fromFunctionUrlEvent(event);
 * ```
 */
export function fromFunctionUrlEvent(event: ApiGatewayV2Event): EventRequest {
  return fromApiGatewayV2Event(event, false);
}
