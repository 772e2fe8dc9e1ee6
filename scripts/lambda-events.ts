/**
 * The reverse direction, for the tests and `npm run dev:lambda`: a wire request as each AWS front door would hand it to Lambda,
 * and a Lambda result as the client would receive it. Each builder does what its front door does
 * (documented AWS behaviour and the published samples, see test/aws-lambda/samples.ts): REST decodes the
 * query into parameter maps; an HTTP API decodes the path, joins repeated headers with `, ` and moves
 * cookies to `cookies`; ALB keeps path and query encoded, appends the client to X-Forwarded-For and,
 * without multi-value mode, keeps only the last of repeated headers and query keys; VPC Lattice (v2)
 * lists header and query values; CloudFront (Lambda@Edge) hands over `{ key, value }` header lists,
 * the raw URI and query. Every front door reads the request's bytes as UTF-8 text into the JSON.
 * @module
 */
import { Buffer } from "node:buffer";
import { STATUS_CODES } from "node:http";

/** An HTTP request as it travels on the wire (test/conformance's TestRequest has this shape). */
export interface WireRequest {
  method: string;
  /** The raw request target, bytes as latin-1 code units. */
  target: string;
  /** Header pairs in order; repeated names stay separate. */
  headers: Array<[string, string]>;
  body?: Uint8Array;
  /** Default HTTP/1.1. */
  protocol?: "HTTP/1.1" | "HTTP/1.0";
}

/** An HTTP response as the client receives it (test/conformance's TestResponse has this shape). */
export interface WireResponse {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  aborted: boolean;
}

/** The client address every driver reports, as the conformance table expects for REMOTE_ADDR. */
export const CLIENT_IP = "127.0.0.1";

type Pairs = Array<[string, string]>;

function splitTarget(target: string): { path: string; query: string | undefined } {
  const q = target.indexOf("?");
  return q === -1
    ? { path: target, query: undefined }
    : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** Percent-decoding as the AWS services do it: to bytes, then read as UTF-8. */
function decodeText(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, "latin1"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * A query component decoded as a REST API does for its parameter maps: `+` becomes a space
 * (aws/aws-cdk#19827 shows `sort=-+createdAt` arriving as `"- createdAt"`), then percent-escapes
 * are read as UTF-8.
 */
const decodeForm = (text: string): string => decodeText(text.replaceAll("+", " "));

/** `[key, value]` pairs of a raw query, `decode`d or kept encoded; empty parts dropped. */
function queryPairs(query: string | undefined, decode: boolean): Pairs {
  if (!query) return [];
  return query
    .split("&")
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      const [key, value] = eq === -1 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      return decode ? [decodeForm(key), decodeForm(value)] : [key, value];
    });
}

/** Groups pairs by name (case-insensitive, first spelling kept), values in order. */
function group(pairs: Pairs, lower = false): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const names = new Map<string, string>();
  for (const [name, value] of pairs) {
    const key = names.get(name.toLowerCase()) ?? (lower ? name.toLowerCase() : name);
    names.set(name.toLowerCase(), key);
    (out[key] ??= []).push(value);
  }
  return out;
}

const last = (grouped: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(grouped).map(([k, v]) => [k, v.at(-1)!]));
const hostOf = (pairs: Pairs) => pairs.find(([n]) => n.toLowerCase() === "host")?.[1]?.replace(/:\d+$/, "");

function bodyFields(
  body: Uint8Array | undefined,
  asText: boolean,
): { body: string | null; isBase64Encoded: boolean } {
  if (!body?.byteLength) return { body: null, isBase64Encoded: false };
  if (asText) {
    try {
      return {
        body: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body),
        isBase64Encoded: false,
      };
    } catch {
      // binary: base64 below
    }
  }
  return { body: Buffer.from(body).toString("base64"), isBase64Encoded: true };
}

/** Bytes (latin-1 code units) read as UTF-8 text, as a front door writes them into JSON. */
const utf8Text = (bytes: string) => Buffer.from(bytes, "latin1").toString("utf8");

/** The request as a front door puts it into JSON: its target and header values as UTF-8 text. */
function toJsonText(request: WireRequest): WireRequest {
  return {
    ...request,
    target: utf8Text(request.target),
    headers: request.headers.map(([n, v]) => [n, utf8Text(v)]),
  };
}

let requestCount = 0;
const nextId = () => `req-${++requestCount}`;

/** API Gateway REST API (payload 1.0), reached on a custom domain (so no stage in the path). */
export function toRestEvent(wire: WireRequest): unknown {
  const request = toJsonText(wire);
  const { path, query } = splitTarget(request.target);
  const params = group(queryPairs(query, true));
  const headers = group(request.headers);
  const hasParams = Object.keys(params).length > 0;
  return {
    resource: "/{proxy+}",
    path,
    httpMethod: request.method,
    headers: last(headers),
    multiValueHeaders: headers,
    queryStringParameters: hasParams ? last(params) : null,
    multiValueQueryStringParameters: hasParams ? params : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      resourcePath: "/{proxy+}",
      httpMethod: request.method,
      path,
      stage: "prod",
      protocol: request.protocol ?? "HTTP/1.1",
      domainName: hostOf(request.headers),
      requestId: nextId(),
      identity: { sourceIp: CLIENT_IP, userAgent: null },
    },
    ...bodyFields(request.body, false),
  };
}

function v2Event(wire: WireRequest, rawPath: string, domainName: string): unknown {
  const request = toJsonText(wire);
  const { query } = splitTarget(request.target);
  const cookies = request.headers
    .filter(([n]) => n.toLowerCase() === "cookie")
    .flatMap(([, v]) => v.split(";").map((c) => c.trim()))
    .filter(Boolean);
  const joined = Object.fromEntries(
    Object.entries(
      group(
        request.headers.filter(([n]) => n.toLowerCase() !== "cookie"),
        true,
      ),
    ).map(([k, v]) => [k, v.join(", ")]),
  );
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: query ?? "",
    ...(cookies.length ? { cookies } : {}),
    headers: joined,
    requestContext: {
      routeKey: "$default",
      stage: "$default",
      domainName,
      requestId: nextId(),
      http: {
        method: request.method,
        path: rawPath,
        protocol: request.protocol ?? "HTTP/1.1",
        sourceIp: CLIENT_IP,
      },
    },
    ...bodyFields(request.body, true),
  };
}

/** API Gateway HTTP API (payload 2.0): the path arrives decoded. */
export function toHttpApiEvent(request: WireRequest): unknown {
  const { path } = splitTarget(request.target);
  return v2Event(request, decodeText(path), hostOf(toJsonText(request).headers) ?? "api.example.com");
}

/** Lambda Function URL: the 2.0 shape with the path still encoded. */
export function toFunctionUrlEvent(request: WireRequest): unknown {
  return v2Event(
    request,
    splitTarget(toJsonText(request).target).path,
    "abcdefghij.lambda-url.us-east-1.on.aws",
  );
}

/** ALB target event, in multi-value headers mode or not. */
export function toAlbEvent(wire: WireRequest, multiValue: boolean): unknown {
  const request = toJsonText(wire);
  const { path, query } = splitTarget(request.target);
  // ALB appends the client it saw to X-Forwarded-For (one header, comma-joined).
  const pairs: Pairs = request.headers.map(([n, v]) => [n.toLowerCase(), v]);
  const xff = pairs.findIndex(([n]) => n === "x-forwarded-for");
  if (xff === -1) pairs.push(["x-forwarded-for", CLIENT_IP]);
  else pairs[xff] = ["x-forwarded-for", `${pairs[xff]![1]}, ${CLIENT_IP}`];
  const headers = group(pairs);
  const params = group(queryPairs(query, false));
  return {
    requestContext: {
      elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1" },
    },
    httpMethod: request.method,
    path,
    ...(multiValue
      ? { multiValueQueryStringParameters: params, multiValueHeaders: headers }
      : { queryStringParameters: last(params), headers: last(headers) }),
    ...bodyFields(request.body, false),
  };
}

/** VPC Lattice (event version 2): header and query values as lists, the client appended to X-Forwarded-For. */
export function toLatticeEvent(wire: WireRequest): unknown {
  const request = toJsonText(wire);
  const { path, query } = splitTarget(request.target);
  const pairs: Pairs = request.headers.map(([n, v]) => [n.toLowerCase(), v]);
  const xff = pairs.findIndex(([n]) => n === "x-forwarded-for");
  if (xff === -1) pairs.push(["x-forwarded-for", CLIENT_IP]);
  else pairs[xff] = ["x-forwarded-for", `${pairs[xff]![1]}, ${CLIENT_IP}`];
  return {
    version: "2.0",
    path,
    method: request.method,
    headers: group(pairs, true),
    queryStringParameters: group(queryPairs(query, false)),
    requestContext: {
      serviceNetworkArn: "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0",
      serviceArn: "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0",
      targetGroupArn: "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0",
      region: "us-east-1",
      timeEpoch: "1700000000000000",
    },
    ...bodyFields(request.body, false),
  };
}

/**
 * CloudFront (Lambda@Edge) viewer-request or origin-request event with the body included: header
 * lists under lower-case names, the raw URI and query, the body base64 (CloudFront's default).
 */
export function toEdgeEvent(wire: WireRequest, eventType: "viewer-request" | "origin-request"): unknown {
  const request = toJsonText(wire);
  const { path, query } = splitTarget(request.target);
  const headers: Record<string, Array<{ key: string; value: string }>> = {};
  for (const [key, value] of request.headers) (headers[key.toLowerCase()] ??= []).push({ key, value });
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: "d111111abcdef8.cloudfront.net",
            distributionId: "EDFDVBD6EXAMPLE",
            eventType,
            requestId: nextId(),
          },
          request: {
            clientIp: CLIENT_IP,
            headers,
            method: request.method,
            querystring: query ?? "",
            uri: path,
            ...(request.body?.byteLength
              ? {
                  body: {
                    inputTruncated: false,
                    action: "read-only",
                    encoding: "base64",
                    data: Buffer.from(request.body).toString("base64"),
                  },
                }
              : {}),
          },
        },
      },
    ],
  };
}

interface AnyResult {
  statusCode?: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

interface EdgeResult {
  status: string;
  statusDescription?: string;
  headers?: Record<string, Array<{ key?: string; value: string }>>;
  body?: string;
  bodyEncoding?: "text" | "base64";
}

/** A Lambda result as the client receives it from any of the front doors. */
export function fromResult(value: unknown, method: string): WireResponse {
  if (typeof (value as EdgeResult).status === "string") return fromEdgeResult(value as EdgeResult, method);
  const result = value as AnyResult;
  const status = result.statusCode ?? 200;
  const headers: Pairs = [];
  const multi = result.multiValueHeaders ?? {};
  for (const [name, values] of Object.entries(multi)) for (const v of values) headers.push([name, v]);
  for (const [name, v] of Object.entries(result.headers ?? {})) {
    if (!Object.keys(multi).some((m) => m.toLowerCase() === name.toLowerCase())) headers.push([name, v]);
  }
  for (const cookie of result.cookies ?? []) headers.push(["set-cookie", cookie]);
  const raw = result.body ?? "";
  const body =
    method === "HEAD" ? new Uint8Array(0) : Buffer.from(raw, result.isBase64Encoded ? "base64" : "utf8");
  const reason = result.statusDescription?.replace(/^\d+ /, "") ?? STATUS_CODES[status] ?? "Unknown";
  return { status, reason, headers, body: new Uint8Array(body), aborted: false };
}

/** A response generated by Lambda@Edge as CloudFront sends it on. */
function fromEdgeResult(result: EdgeResult, method: string): WireResponse {
  const status = Number(result.status);
  const headers: Pairs = [];
  for (const [lower, list] of Object.entries(result.headers ?? {}))
    for (const { key, value } of list) headers.push([key ?? lower, value]);
  const body =
    method === "HEAD"
      ? new Uint8Array(0)
      : Buffer.from(result.body ?? "", result.bodyEncoding === "base64" ? "base64" : "utf8");
  // CloudFront frames a generated response itself.
  if (method !== "HEAD" && status !== 204 && status !== 304)
    headers.push(["content-length", String(body.byteLength)]);
  const reason = result.statusDescription ?? STATUS_CODES[status] ?? "Unknown";
  return { status, reason, headers, body: new Uint8Array(body), aborted: false };
}
