/**
 * Telling the front door, once, into a tagged union (as Mangum's `infer()` per handler, tried in
 * order). Each HTTP variant carries its front door's module (request in, result out), which the
 * invocation keeps: nothing casts the event or switches on the kind again.
 * @module
 */
import { alb, albMultiValue } from "./alb.ts";
import { apiGatewayV1 } from "./api-gateway-v1.ts";
import { apiGatewayV2 } from "./api-gateway-v2.ts";
import { functionUrl } from "./function-url.ts";
import { lambdaEdge } from "./lambda-edge.ts";
import type {
  AlbEvent,
  ApiGatewayV1Event,
  ApiGatewayV2Event,
  CloudFrontRequestEvent,
  FrontDoor,
  JsonObject,
  VpcLatticeEvent,
} from "./types.ts";
import { vpcLattice } from "./vpc-lattice.ts";

/** One HTTP event and the front door that sent it. */
export interface Detected<K extends string, E> {
  kind: K;
  event: E;
  door: FrontDoor<E>;
}

/** An event told apart: one of the HTTP kinds, or `unsupported` with a name for the error message. */
export type DetectedEvent =
  | Detected<"api-gateway-v1", ApiGatewayV1Event>
  | Detected<"api-gateway-v2", ApiGatewayV2Event>
  | Detected<"function-url", ApiGatewayV2Event>
  | Detected<"alb", AlbEvent>
  | Detected<"alb-multi-value", AlbEvent>
  | Detected<"vpc-lattice", VpcLatticeEvent>
  | Detected<"lambda-edge", CloudFrontRequestEvent>
  | { kind: "unsupported"; name: string; event: unknown };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);
// Not imported from request.ts: detection needs nothing of the mapping.
const str = (value: unknown): value is string => typeof value === "string";

// Function URLs answer on <url-id>.lambda-url.<region>.on.aws; requestContext.domainName keeps it
// even when a CDN in front changes the Host header.
const FUNCTION_URL_DOMAIN = /\.lambda-url\.[^.]+\.on\.aws$/i;

// WebSocket APIs reuse the REST shape but carry a connection; these are not HTTP requests for the app.
function webSocketName(event: JsonObject): string | undefined {
  const rc = event.requestContext;
  if (!isObject(rc) || (!str(rc.connectionId) && !str(rc.eventType))) return undefined;
  return `an API Gateway WebSocket event (eventType ${String(rc.eventType)}, routeKey ${String(rc.routeKey)})`;
}

// Lambda authorizers get the request too, but must answer with a policy, not a response.
function authorizerName(event: JsonObject): string | undefined {
  if ((event.type === "REQUEST" || event.type === "TOKEN") && (str(event.methodArn) || str(event.routeArn))) {
    return `an API Gateway Lambda authorizer request (type ${event.type}, payload ${str(event.version) ? event.version : "1.0"})`;
  }
  return undefined;
}

function isAlb(event: JsonObject): event is JsonObject & AlbEvent {
  const rc = event.requestContext;
  return isObject(rc) && isObject(rc.elb) && str(event.httpMethod) && str(event.path);
}

function isLattice(event: JsonObject): event is JsonObject & VpcLatticeEvent {
  if (!str(event.method)) return false;
  if (str(event.raw_path)) return true;
  const rc = event.requestContext;
  return str(event.path) && isObject(rc) && (str(rc.serviceNetworkArn) || str(rc.serviceArn));
}

function isV2(event: JsonObject): event is JsonObject & ApiGatewayV2Event {
  const rc = event.requestContext;
  return (
    event.version === "2.0" && str(event.rawPath) && isObject(rc) && isObject(rc.http) && str(rc.http.method)
  );
}

/** A CloudFront viewer-request or origin-request event: the only Lambda@Edge triggers with a request to answer. */
function isLambdaEdge(event: JsonObject): event is JsonObject & CloudFrontRequestEvent {
  const records = event.Records;
  if (!Array.isArray(records) || !isObject(records[0]) || !isObject(records[0].cf)) return false;
  const { config, request } = records[0].cf;
  return (
    isObject(config) &&
    (config.eventType === "viewer-request" || config.eventType === "origin-request") &&
    isObject(request) &&
    str(request.method) &&
    str(request.uri)
  );
}

function isV1(event: JsonObject): event is JsonObject & ApiGatewayV1Event {
  return (
    str(event.httpMethod) &&
    str(event.path) &&
    (event.requestContext == null || isObject(event.requestContext))
  );
}

/** Names a non-HTTP event by its tell-tale fields, for the error message. */
function describeOther(event: unknown): string {
  if (!isObject(event))
    return `a ${event === null ? "null" : Array.isArray(event) ? "array" : typeof event} event`;
  const records = event.Records;
  if (Array.isArray(records) && isObject(records[0])) {
    const first = records[0];
    if (isObject(first.cf)) {
      const type = isObject(first.cf.config) ? first.cf.config.eventType : undefined;
      return `a CloudFront Lambda@Edge event (eventType ${String(type)}; only viewer-request and origin-request events with a request are served)`;
    }
    const source = first.eventSource ?? first.EventSource;
    if (str(source))
      return `an event from ${source} (${records.length} record${records.length === 1 ? "" : "s"})`;
  }
  if (str(event.source) && str(event["detail-type"])) {
    return `an EventBridge event (source ${event.source}, detail-type ${event["detail-type"]})`;
  }
  const keys = Object.keys(event).slice(0, 8);
  return keys.length ? `an unrecognized event with keys ${keys.join(", ")}` : "an empty object event";
}

/**
 * Tells which front door sent `event`. Checks run from the most specific shape to the most general,
 * so a WebSocket or authorizer event (which look like REST requests) is never taken for one.
 *
 * @example
 * ```ts
 * const detected = detectEvent(event);
 * if (detected.kind === "function-url") detected.event.rawPath;
 * ```
 */
export function detectEvent(event: unknown): DetectedEvent {
  if (!isObject(event)) return { kind: "unsupported", name: describeOther(event), event };
  const special = webSocketName(event) ?? authorizerName(event);
  if (special) return { kind: "unsupported", name: special, event };
  if (isAlb(event)) {
    return event.multiValueHeaders != null
      ? { kind: "alb-multi-value", event, door: albMultiValue }
      : { kind: "alb", event, door: alb };
  }
  if (isLattice(event)) return { kind: "vpc-lattice", event, door: vpcLattice };
  if (isV2(event)) return detectedV2(event);
  if (isLambdaEdge(event)) return { kind: "lambda-edge", event, door: lambdaEdge };
  if (isV1(event)) return { kind: "api-gateway-v1", event, door: apiGatewayV1 };
  return { kind: "unsupported", name: describeOther(event), event };
}

/** The payload 2.0 front doors: what {@link detectHttpApiEvent} tells apart. */
export type DetectedHttpApiEvent = Extract<
  DetectedEvent,
  { kind: "api-gateway-v2" | "function-url" | "unsupported" }
>;

function detectedV2(event: JsonObject & ApiGatewayV2Event): DetectedHttpApiEvent {
  const domain = event.requestContext.domainName;
  return str(domain) && FUNCTION_URL_DOMAIN.test(domain)
    ? { kind: "function-url", event, door: functionUrl }
    : { kind: "api-gateway-v2", event, door: apiGatewayV2 };
}

/**
 * {@link detectEvent} for the payload 2.0 front doors only (HTTP APIs, Function URLs): every other
 * event is `unsupported`. A 2.0 authorizer request (it has `rawPath` too) is still told apart first.
 * It imports no other door, so a bundle of `tsgi/aws-lambda/http-api` carries none.
 *
 * @example
 * ```ts
 * detectHttpApiEvent(restApiEvent).kind; // "unsupported"
 * ```
 */
export function detectHttpApiEvent(event: unknown): DetectedHttpApiEvent {
  if (!isObject(event)) return { kind: "unsupported", name: describeOther(event), event };
  const special = authorizerName(event);
  if (special) return { kind: "unsupported", name: special, event };
  if (isV2(event)) return detectedV2(event);
  return { kind: "unsupported", name: describeOther(event), event };
}
