/**
 * The API Gateway HTTP API front door (payload format 2.0): incoming event and outgoing result.
 * Function URLs use the same shape (see function-url.ts).
 * @module
 */
import type { ResponseHead } from "../../core/gateway.ts";
import { FirstSpelling, defineKey } from "./names.ts";
import { isObject, optionalObject, optionalString, optionalText } from "./fields.ts";
import {
  apiGatewayPrefix,
  decodeBody,
  headerPairs,
  lastHeader,
  rawQuery,
  schemeOf,
  toTargetPath,
} from "./request.ts";
import { MalformedEventError } from "./errors.ts";
import type {
  ApiGatewayV2Event,
  ApiGatewayV2Result,
  AwsAuthorizer,
  EncodedBody,
  EventRequest,
  FrontDoor,
} from "./types.ts";

/** The authorizer of a 2.0 event: `jwt` (claims, scopes), `lambda` (its context) or `iam`. */
function authorizerOfV2(auth: unknown): AwsAuthorizer | undefined {
  if (!isObject(auth)) return undefined;
  if (isObject(auth.jwt)) {
    const { claims, scopes } = auth.jwt;
    return {
      type: "jwt",
      claims: isObject(claims) ? claims : {},
      scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    };
  }
  // A simple-response Lambda authorizer with no context gives `lambda: null`: still a Lambda authorizer.
  if ("lambda" in auth) return { type: "lambda", context: isObject(auth.lambda) ? auth.lambda : {} };
  if (isObject(auth.iam)) return { type: "iam", iam: auth.iam };
  return undefined;
}

/**
 * Header pairs of a 2.0 event. The `cookies` array (HTTP API and Function URLs move the Cookie header
 * there) becomes one Cookie header again, replacing any copy left in `headers`.
 */
function headersOfV2(event: ApiGatewayV2Event): Array<[string, string]> {
  const pairs = headerPairs(event.headers, "headers");
  const cookies: unknown = event.cookies;
  if (cookies == null) return pairs;
  if (!Array.isArray(cookies)) throw new MalformedEventError("cookies", "is not an array");
  let cookie = "";
  for (let i = 0; i < cookies.length; i++) {
    const c: unknown = cookies[i];
    if (typeof c !== "string") throw new MalformedEventError(`cookies[${i}]`, "is not a string");
    cookie = cookie === "" ? c : `${cookie}; ${c}`;
  }
  if (cookie === "") return pairs;
  // In place: the pairs are this call's own array.
  let kept = 0;
  for (const pair of pairs)
    if (pair[0].length !== 6 || pair[0].toLowerCase() !== "cookie") pairs[kept++] = pair;
  pairs.length = kept;
  pairs.push(["Cookie", cookie]);
  return pairs;
}

/**
 * Incoming: a 2.0 event as the request the client sent. `rawQueryString` is the raw query. An HTTP
 * API hands `rawPath` over already percent-decoded (despite its name), so it is escaped again for the
 * core's one decoding; `decoded: false` (Function URLs) takes it as sent. The stage leads the path
 * only for a named stage on the execute-api host.
 *
 * @example
 * ```ts
 * const request = fromApiGatewayV2Event(event);
 * ```
 */
export function fromApiGatewayV2Event(event: ApiGatewayV2Event, decoded = true): EventRequest {
  const rc = event.requestContext;
  const http = rc.http;
  const headers = headersOfV2(event);
  const path = toTargetPath(event.rawPath, decoded);
  const query = rawQuery(event.rawQueryString, "rawQueryString");
  const domainName = optionalText(rc.domainName, "requestContext.domainName");
  const customDomain = optionalObject(rc.customDomain, "requestContext.customDomain");
  return {
    method: http.method,
    target: query ? `${path}?${query}` : path,
    headers,
    body: decodeBody(event.body, event.isBase64Encoded),
    scheme: schemeOf(headers),
    protocol: optionalText(http.protocol, "requestContext.http.protocol") ?? "HTTP/1.1",
    domainName,
    remoteAddr: optionalText(http.sourceIp, "requestContext.http.sourceIp"),
    platformPrefix: decoded
      ? apiGatewayPrefix(
          optionalString(rc.stage, "requestContext.stage"),
          lastHeader(headers, "host") ?? domainName,
          optionalString(customDomain?.basePathMatched, "requestContext.customDomain.basePathMatched"),
        )
      : undefined,
    requestContext: rc,
    authorizer: authorizerOfV2(rc.authorizer),
  };
}

/**
 * The status, headers and cookies of a 2.0 result (also the streaming prelude): Set-Cookie goes to
 * `cookies`, one entry each (never joined: a cookie's Expires holds a comma); other repeated headers
 * join with `, ` (RFC 9110 5.3).
 *
 * @example
 * ```ts
 * toV2Head({ status: 200, reason: "OK", headers: [["Set-Cookie", "a=1"]] }); // cookies: ["a=1"]
 * ```
 */
export function toV2Head(head: ResponseHead): {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
} {
  const headers: Record<string, string> = {};
  const names = new FirstSpelling();
  const cookies: string[] = [];
  const list = head.headers;
  for (let i = 0; i < list.length; i++) {
    const [name, value] = list[i]!;
    if (name.length === 10 && name.toLowerCase() === "set-cookie") {
      cookies.push(value);
      continue;
    }
    const first = names.firstOf(name);
    if (first === undefined) defineKey(headers, name, value);
    else headers[first] = `${headers[first]}, ${value}`;
  }
  return { statusCode: head.status, headers, cookies };
}

/**
 * Outgoing: a 2.0 result.
 *
 * @example
 * ```ts
 * toApiGatewayV2Result(head, { body: "hi", isBase64Encoded: false });
 * ```
 */
export function toApiGatewayV2Result(head: ResponseHead, body: EncodedBody): ApiGatewayV2Result {
  const { statusCode, headers, cookies } = toV2Head(head);
  return { statusCode, headers, cookies, body: body.body, isBase64Encoded: body.isBase64Encoded };
}

/**
 * API Gateway HTTP APIs (they do not stream).
 *
 * @example
 * ```ts
 * apiGatewayV2.toRequest(event).target;
 * ```
 */
export const apiGatewayV2: FrontDoor<ApiGatewayV2Event> = {
  kind: "api-gateway-v2",
  streams: false,
  toRequest: (event) => fromApiGatewayV2Event(event, true),
  toResult: toApiGatewayV2Result,
};
