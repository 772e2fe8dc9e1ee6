/**
 * The API Gateway REST API front door (payload format 1.0, also HTTP API integrations set to 1.0):
 * incoming event and outgoing result.
 * @module
 */
import type { ResponseHead } from "../../core/gateway.ts";
import { multiValueHeaders } from "./names.ts";
import { isObject, optionalObject, optionalString, optionalText } from "./fields.ts";
import {
  apiGatewayPrefix,
  decodeBody,
  headerPairs,
  lastHeader,
  rebuildQuery,
  schemeOf,
  toTargetPath,
} from "./request.ts";
import type {
  ApiGatewayV1Event,
  ApiGatewayV1Result,
  AwsAuthorizer,
  EncodedBody,
  EventRequest,
  FrontDoor,
  JsonObject,
} from "./types.ts";

/** The authorizer of a REST event: Cognito claims, a Lambda authorizer's principalId and context, or IAM. */
function authorizerOf(version: unknown, rc: JsonObject | undefined): AwsAuthorizer | undefined {
  const auth = rc?.authorizer;
  if (isObject(auth) && Object.keys(auth).length) {
    const { principalId, claims, scopes, integrationLatency: _latency, ...context } = auth;
    const common = typeof principalId === "string" ? { principalId } : {};
    if (isObject(claims)) {
      // HTTP API JWT authorizers in payload 1.0 put claims here too, with scopes beside them.
      return version === "1.0"
        ? { type: "jwt", ...common, claims, scopes: Array.isArray(scopes) ? scopes.map(String) : [] }
        : { type: "cognito", ...common, claims };
    }
    return { type: "lambda", ...common, context };
  }
  const identity = rc?.identity;
  if (isObject(identity) && (identity.userArn || identity.accessKey))
    return { type: "iam", iam: { ...identity } };
  return undefined;
}

/**
 * The path the client wrote. `requestContext.path` holds it (stage included on the execute-api
 * host), so it is preferred when it ends with `path`, and for the root, where `path` is `/` and the
 * client's path may be the bare stage (`/prod`): the root then mounts like every other path.
 */
function clientPath(path: string, contextPath: string | undefined): string {
  if (!contextPath?.startsWith("/")) return path;
  return contextPath.endsWith(path) || path === "/" ? contextPath : path;
}

/**
 * Incoming: a REST event as the request the client sent. REST keeps the path percent-encoded; an
 * HTTP API (version "1.0") hands it over decoded. The query is rebuilt from the decoded parameters,
 * so QUERY_STRING is a re-encoding.
 *
 * @example
 * ```ts
 * const request = apiGatewayV1.toRequest(event);
 * ```
 */
function fromApiGatewayV1Event(event: ApiGatewayV1Event): EventRequest {
  const rc = optionalObject(event.requestContext, "requestContext");
  const decodedPath = event.version === "1.0";
  let path = event.path || "/";
  if (!decodedPath) path = clientPath(path, optionalString(rc?.path, "requestContext.path"));
  path = toTargetPath(path, decodedPath);
  const query = rebuildQuery(
    event.queryStringParameters,
    "queryStringParameters",
    event.multiValueQueryStringParameters,
    "multiValueQueryStringParameters",
    true,
  );
  const headers = headerPairs(event.headers, "headers", event.multiValueHeaders);
  const domainName = optionalText(rc?.domainName, "requestContext.domainName");
  const identity = optionalObject(rc?.identity, "requestContext.identity");
  const customDomain = optionalObject(rc?.customDomain, "requestContext.customDomain");
  return {
    method: event.httpMethod,
    target: query ? `${path}?${query}` : path,
    headers,
    body: decodeBody(event.body, event.isBase64Encoded),
    scheme: schemeOf(headers),
    protocol: optionalText(rc?.protocol, "requestContext.protocol") ?? "HTTP/1.1",
    domainName,
    remoteAddr: optionalText(identity?.sourceIp, "requestContext.identity.sourceIp"),
    platformPrefix: apiGatewayPrefix(
      optionalString(rc?.stage, "requestContext.stage"),
      lastHeader(headers, "host") ?? domainName,
      optionalString(customDomain?.basePathMatched, "requestContext.customDomain.basePathMatched"),
    ),
    requestContext: event.requestContext,
    authorizer: authorizerOf(event.version, rc),
  };
}

/** Outgoing: `multiValueHeaders` carries every header, repeated ones (Set-Cookie) as separate values. */
function toApiGatewayV1Result(head: ResponseHead, body: EncodedBody): ApiGatewayV1Result {
  return { statusCode: head.status, multiValueHeaders: multiValueHeaders(head.headers), ...body };
}

/**
 * API Gateway REST APIs.
 *
 * @example
 * ```ts
 * apiGatewayV1.toResult(head, { body: "hi", isBase64Encoded: false }, console.warn);
 * ```
 */
export const apiGatewayV1: FrontDoor<ApiGatewayV1Event> = {
  kind: "api-gateway-v1",
  streams: true,
  toRequest: fromApiGatewayV1Event,
  toResult: toApiGatewayV1Result,
};
