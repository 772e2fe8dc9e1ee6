/**
 * API Gateway REST APIs (payload format 1.0, also HTTP API integrations set to 1.0): incoming event
 * and outgoing result.
 * @module
 */
import type { ResponseHead } from "../../core/index.ts";
import {
  type EventRequest,
  apiGatewayPrefix,
  decodeBody,
  headerPairs,
  lastHeader,
  rebuildQuery,
  schemeOf,
  toTargetPath,
} from "./request.ts";
import { FirstSpelling } from "./names.ts";
import type { EncodedBody } from "./response.ts";
import type { ApiGatewayV1Event, ApiGatewayV1Result, AwsAuthorizer, JsonObject } from "./types.ts";

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The authorizer of a REST event: Cognito claims, a Lambda authorizer's principalId and context, or IAM. */
function authorizerOf(event: ApiGatewayV1Event): AwsAuthorizer | undefined {
  const rc = event.requestContext;
  const auth = rc?.authorizer;
  if (isObject(auth) && Object.keys(auth).length) {
    const { principalId, claims, scopes, integrationLatency: _latency, ...context } = auth;
    const common = typeof principalId === "string" ? { principalId } : {};
    if (isObject(claims)) {
      // HTTP API JWT authorizers in payload 1.0 put claims here too, with scopes beside them.
      return event.version === "1.0"
        ? { type: "jwt", ...common, claims, scopes: Array.isArray(scopes) ? scopes.map(String) : [] }
        : { type: "cognito", ...common, claims };
    }
    return { type: "lambda", ...common, context };
  }
  const identity = rc?.identity;
  if (identity?.userArn || identity?.accessKey) return { type: "iam", iam: { ...identity } };
  return undefined;
}

/**
 * Incoming: a REST event as the request the client sent. `requestContext.path` is the path as the
 * client wrote it (stage included on the execute-api host), so it is preferred when it ends with
 * `path`. REST keeps the path percent-encoded; an HTTP API (version "1.0") hands it over decoded.
 * The query is rebuilt from the decoded parameters, so QUERY_STRING is a re-encoding.
 *
 * @example
 * ```ts
 * const request = fromApiGatewayV1Event(event);
 * ```
 */
export function fromApiGatewayV1Event(event: ApiGatewayV1Event): EventRequest {
  const rc = event.requestContext;
  const decodedPath = event.version === "1.0";
  let path = event.path || "/";
  if (!decodedPath && rc?.path && rc.path.endsWith(path)) path = rc.path;
  path = toTargetPath(path, decodedPath);
  const query = rebuildQuery(event.queryStringParameters, event.multiValueQueryStringParameters, true);
  const headers = headerPairs(event.headers, event.multiValueHeaders);
  return {
    method: event.httpMethod,
    target: query ? `${path}?${query}` : path,
    headers,
    body: decodeBody(event.body, event.isBase64Encoded),
    scheme: schemeOf(headers),
    protocol: rc?.protocol ?? "HTTP/1.1",
    domainName: rc?.domainName,
    remoteAddr: rc?.identity?.sourceIp ?? undefined,
    platformPrefix: apiGatewayPrefix(
      rc?.stage,
      lastHeader(headers, "host") ?? rc?.domainName,
      rc?.customDomain?.basePathMatched,
    ),
    requestContext: rc,
    authorizer: authorizerOf(event),
  };
}

/**
 * Outgoing: `multiValueHeaders` carries every header, repeated ones (Set-Cookie) as separate values.
 *
 * @example
 * ```ts
 * toApiGatewayV1Result(head, { body: "hi", isBase64Encoded: false });
 * ```
 */
export function toApiGatewayV1Result(head: ResponseHead, body: EncodedBody): ApiGatewayV1Result {
  const multiValueHeaders: Record<string, string[]> = {};
  const names = new FirstSpelling();
  for (const [name, value] of head.headers) {
    const first = names.firstOf(name);
    if (first === undefined) multiValueHeaders[name] = [value];
    else multiValueHeaders[first]!.push(value);
  }
  return { statusCode: head.status, multiValueHeaders, ...body };
}
