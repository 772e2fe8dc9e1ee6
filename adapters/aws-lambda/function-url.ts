/**
 * The Lambda Function URL front door: the 2.0 payload shape, with two differences from an HTTP API.
 * The path arrives still percent-encoded, and there is no stage or API mapping to strip. Function
 * URLs in `RESPONSE_STREAM` mode take the streaming handler.
 * @module
 */
import { fromApiGatewayV2Event, toApiGatewayV2Result } from "./api-gateway-v2.ts";
import type { ApiGatewayV2Event, FrontDoor } from "./types.ts";

/**
 * Lambda Function URLs.
 *
 * @example
 * ```ts
 * functionUrl.toRequest(event).target; // "/caf%C3%A9?x=1", as the client sent it
 * ```
 */
export const functionUrl: FrontDoor<ApiGatewayV2Event> = {
  kind: "function-url",
  streams: true,
  toRequest: (event) => fromApiGatewayV2Event(event, false),
  toResult: toApiGatewayV2Result,
};
