/**
 * What every peer is asked to do, defined once: the two apps' behaviour (hello, JSON echo), the 1 KB
 * JSON payload, and realistic Lambda events (about a dozen headers, two cookies, a query string) for
 * REST (v1), HTTP API (v2) and ALB.
 * @module
 */

/** The hello body, identical for every peer. */
export const HELLO_TEXT = "Hello, world!\n";

/** A deterministic JSON document of about 1 KB (with some non-ASCII text, so UTF-8 is exercised). */
function buildPayload(): string {
  const items = [];
  for (let i = 0; i < 11; i++) {
    items.push({
      id: 1000 + i,
      name: i % 3 === 0 ? `Crème brûlée n°${i}` : `Item number ${i}`,
      price: Math.round((i + 1) * 314.15) / 100,
      tags: ["bench", i % 2 ? "odd" : "even"],
      inStock: i % 4 !== 1,
    });
  }
  return JSON.stringify({ order: "A-20261120-0042", customer: "Zoë Example", items });
}

/** The echo request body. */
export const PAYLOAD_TEXT = buildPayload();

export type EventKind = "v1" | "v2" | "alb";
export const EVENT_KINDS: readonly EventKind[] = ["v1", "v2", "alb"];

/** The body of a request event. */
export interface EventBody {
  text: string;
  base64: boolean;
  contentType: string;
}

// The headers a browser and CloudFront-fronted API Gateway deliver (cookies added per kind).
const HEADERS: Record<string, string> = {
  accept: "application/json, text/plain, */*",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "en-GB,en;q=0.9,fr;q=0.8",
  "cache-control": "no-cache",
  host: "abcdef1234.execute-api.eu-west-1.amazonaws.com",
  origin: "https://app.example.com",
  referer: "https://app.example.com/orders/42",
  "user-agent":
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  "x-amzn-trace-id": "Root=1-67891233-abcdef012345678912345678",
  "x-forwarded-for": "203.0.113.7",
  "x-forwarded-port": "443",
  "x-forwarded-proto": "https",
};
const COOKIES = ["session=6f1e3a2b9c8d7e6f5a4b3c2d1e0f9a8b", "theme=dark"];
const PATH = "/orders/42/items";
const QUERY: Record<string, string> = { page: "2", sort: "price", q: "crème" };

function headersWith(body: EventBody | undefined): Record<string, string> {
  const headers = { ...HEADERS };
  if (body) {
    headers["content-type"] = body.contentType;
    headers["content-length"] = String(
      body.base64 ? Buffer.from(body.text, "base64").byteLength : Buffer.byteLength(body.text),
    );
  }
  return headers;
}

/**
 * The request headers as a client sends them (cookies in one Cookie header), for the Fetch and Node
 * server benchmarks; `contentType` adds the body's.
 */
export function requestHeaders(contentType?: string): Record<string, string> {
  const headers: Record<string, string> = { ...HEADERS, cookie: COOKIES.join("; ") };
  delete headers.host; // the client's own
  if (contentType) headers["content-type"] = contentType;
  return headers;
}

const multi = (record: Record<string, string>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, [v]]));

/**
 * A request event of `kind`: GET without a body, or POST with `body`. Built fresh on each call.
 *
 * @example
 * ```ts
 * const event = buildEvent("v2", { text: PAYLOAD_TEXT, base64: false, contentType: "application/json" });
 * ```
 */
export function buildEvent(kind: EventKind, body?: EventBody): Record<string, unknown> {
  const method = body ? "POST" : "GET";
  const headers = headersWith(body);
  const rawQuery = new URLSearchParams(QUERY).toString();
  const payload = { body: body?.text ?? null, isBase64Encoded: body?.base64 ?? false };
  if (kind === "v2") {
    return {
      version: "2.0",
      routeKey: "$default",
      rawPath: PATH,
      rawQueryString: rawQuery,
      cookies: COOKIES,
      headers,
      queryStringParameters: QUERY,
      requestContext: {
        accountId: "123456789012",
        apiId: "abcdef1234",
        domainName: headers.host,
        domainPrefix: "abcdef1234",
        http: {
          method,
          path: PATH,
          protocol: "HTTP/1.1",
          sourceIp: "203.0.113.7",
          userAgent: headers["user-agent"],
        },
        requestId: "JKJaXmPLvHcESHA=",
        routeKey: "$default",
        stage: "$default",
        time: "20/Nov/2026:10:15:00 +0000",
        timeEpoch: 1795083300000,
      },
      ...payload,
    };
  }
  const withCookie = { ...headers, cookie: COOKIES.join("; ") };
  if (kind === "v1") {
    return {
      resource: "/{proxy+}",
      path: PATH,
      httpMethod: method,
      headers: withCookie,
      multiValueHeaders: multi(withCookie),
      queryStringParameters: QUERY,
      multiValueQueryStringParameters: multi(QUERY),
      pathParameters: { proxy: PATH.slice(1) },
      stageVariables: null,
      requestContext: {
        accountId: "123456789012",
        apiId: "abcdef1234",
        domainName: headers.host,
        domainPrefix: "abcdef1234",
        httpMethod: method,
        identity: { sourceIp: "203.0.113.7", userAgent: headers["user-agent"] },
        path: `/prod${PATH}`,
        protocol: "HTTP/1.1",
        requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        requestTimeEpoch: 1795083300000,
        resourcePath: "/{proxy+}",
        stage: "prod",
      },
      ...payload,
    };
  }
  // ALB (single-value headers): the query parameters arrive still percent-encoded.
  const encodedQuery = Object.fromEntries(new URLSearchParams(rawQuery));
  for (const key of Object.keys(encodedQuery)) encodedQuery[key] = encodeURIComponent(encodedQuery[key]!);
  return {
    requestContext: {
      elb: {
        targetGroupArn:
          "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/bench/0123456789abcdef",
      },
    },
    httpMethod: method,
    path: PATH,
    queryStringParameters: encodedQuery,
    headers: { ...withCookie, host: "bench-alb-123456.eu-west-1.elb.amazonaws.com" },
    ...payload,
  };
}

/** The JSON echo body as an event body. */
export const ECHO_BODY: EventBody = { text: PAYLOAD_TEXT, base64: false, contentType: "application/json" };

/** A context object as the Node.js runtime passes it (the fields handlers read). */
export function lambdaContext(): Record<string, unknown> & { awsRequestId: string } {
  return {
    awsRequestId: "8f4ad6a1-5a71-4b8e-9f51-2c1f0a6b7c3d",
    functionName: "bench",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:bench",
    memoryLimitInMB: "1024",
    logGroupName: "/aws/lambda/bench",
    logStreamName: "2026/11/20/[$LATEST]0123456789abcdef",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
  };
}
