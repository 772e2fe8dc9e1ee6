/**
 * Minimal structural types of the Lambda events and results this adapter reads and writes. Only the
 * fields used are declared; everything is optional or nullable where AWS samples show it missing, so
 * that a hand-written or console test event is read the same way as a real one.
 * @module
 */
import type { HeaderList, ResponseHead } from "../../core/gateway.ts";

/** A JSON object from an event: the adapter never trusts its shape beyond what it checks. */
export type JsonObject = Record<string, unknown>;

type StringMap = Record<string, string | undefined> | null | undefined;
type MultiMap = Record<string, string[] | undefined> | null | undefined;

/** The request fields API Gateway REST (payload 1.0) and ALB events share. */
interface ProxyEventFields {
  httpMethod: string;
  path: string;
  headers?: StringMap;
  multiValueHeaders?: MultiMap;
  queryStringParameters?: StringMap;
  multiValueQueryStringParameters?: MultiMap;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** API Gateway REST API (payload format 1.0; also HTTP API integrations set to 1.0). */
export interface ApiGatewayV1Event extends ProxyEventFields {
  version?: string;
  requestContext?: ApiGatewayV1Context;
}

export interface ApiGatewayV1Context {
  path?: string;
  stage?: string;
  domainName?: string;
  protocol?: string;
  requestId?: string;
  identity?: { sourceIp?: string | null; userArn?: string | null; accessKey?: string | null } | null;
  authorizer?: JsonObject | null;
  customDomain?: { basePathMatched?: string | null } | null;
}

/** API Gateway HTTP API (payload format 2.0) and Lambda Function URLs share this shape. */
export interface ApiGatewayV2Event {
  version: "2.0";
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[] | null;
  headers?: StringMap;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: ApiGatewayV2Context;
}

export interface ApiGatewayV2Context {
  stage?: string;
  domainName?: string;
  requestId?: string;
  http: { method: string; protocol?: string; sourceIp?: string };
  authorizer?: JsonObject | null;
  customDomain?: { basePathMatched?: string | null } | null;
}

/** Application Load Balancer target event (single-value or multi-value headers mode). */
export interface AlbEvent extends ProxyEventFields {
  requestContext: { elb: { targetGroupArn?: string } };
}

/** VPC Lattice event, version 1 (snake_case) or version 2. Values may be strings or arrays. */
export interface VpcLatticeEvent {
  version?: string;
  method: string;
  /** v1: may include the query string. */
  raw_path?: string;
  path?: string;
  headers?: Record<string, string | string[] | undefined> | null;
  query_string_parameters?: Record<string, string | string[] | undefined> | null;
  queryStringParameters?: Record<string, string | string[] | undefined> | null;
  body?: string | null;
  is_base64_encoded?: boolean;
  isBase64Encoded?: boolean;
  requestContext?: JsonObject;
}

/** The part of the Lambda context object the adapter reads. */
export interface LambdaContext {
  awsRequestId: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
  [key: string]: unknown;
}

/** One header of a CloudFront (Lambda@Edge) list: `key` keeps the spelling, the map key is lower case. */
export interface CloudFrontHeader {
  key?: string;
  value: string;
}

/** The request of a Lambda@Edge viewer-request or origin-request event (`Records[0].cf.request`). */
export interface CloudFrontRequest {
  clientIp?: string;
  method: string;
  uri: string;
  querystring?: string;
  headers?: Record<string, CloudFrontHeader[] | undefined> | null;
  /** Present when the behavior includes the body: `data` in `encoding`, cut short when `inputTruncated`. */
  body?: { data?: string; encoding?: string; inputTruncated?: boolean; action?: string } | null;
  origin?: JsonObject;
}

/** A Lambda@Edge request event (CloudFront viewer-request or origin-request). */
export interface CloudFrontRequestEvent {
  Records: [
    {
      cf: {
        config: {
          distributionDomainName?: string;
          distributionId?: string;
          eventType: "viewer-request" | "origin-request";
          requestId?: string;
        };
        request: CloudFrontRequest;
      };
    },
  ];
}

/** The event kinds served as HTTP requests. */
export type HttpEventKind =
  | "api-gateway-v1"
  | "api-gateway-v2"
  | "function-url"
  | "alb"
  | "alb-multi-value"
  | "vpc-lattice"
  | "lambda-edge";

/**
 * An authorizer result, normalized across payload versions:
 * - `cognito`: REST Cognito user pool authorizer (`claims`);
 * - `jwt`: HTTP API JWT authorizer (`claims`, `scopes`);
 * - `lambda`: a Lambda authorizer (REST: `principalId` plus its context keys; v2: `lambda` context);
 * - `iam`: IAM authorization (v2 `iam`; REST `identity.userArn`).
 */
export interface AwsAuthorizer {
  type: "cognito" | "jwt" | "lambda" | "iam";
  principalId?: string;
  claims?: JsonObject;
  scopes?: string[];
  context?: JsonObject;
  iam?: JsonObject;
}

/** Result of an API Gateway REST (1.0) integration. */
export interface ApiGatewayV1Result {
  statusCode: number;
  multiValueHeaders: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** Result of an HTTP API (2.0) integration or a Function URL. */
export interface ApiGatewayV2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** Result for an ALB target (and VPC Lattice, which has the same fields). */
export interface AlbResult {
  statusCode: number;
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** A response generated by Lambda@Edge for CloudFront: status as a string, headers as lists. */
export interface LambdaEdgeResult {
  status: string;
  statusDescription: string;
  headers: Record<string, CloudFrontHeader[]>;
  body: string;
  bodyEncoding: "text" | "base64";
}

/** Whatever the buffered handler returns to Lambda. */
export type LambdaResult = ApiGatewayV1Result | ApiGatewayV2Result | AlbResult | LambdaEdgeResult | unknown;

/** A body as Lambda results carry it: text, or base64 for bytes that are not text. */
export interface EncodedBody {
  body: string;
  isBase64Encoded: boolean;
}

/** The options of both handlers (see the README and docs/spec.md). */
export interface AwsLambdaOptions {
  /** A mount prefix (`/api`) moved from PATH_INFO to SCRIPT_NAME when the path starts with it. */
  basePath?: string;
  /**
   * Rethrow an app exception instead of answering 500, so that Lambda's error metrics, retries and
   * destinations see it (the front door then answers 502).
   */
  rethrow?: boolean;
  /**
   * Decides which responses are binary (sent base64) instead of the default: a textual Content-Type
   * and no Content-Encoding means text. Bytes that are not valid UTF-8 always go base64.
   */
  isBinary?: (headers: HeaderList) => boolean;
  /**
   * Deliver non-HTTP events (SQS, S3, EventBridge...) to the app as a POST of the event JSON to this
   * path, marked by environ `tsgi.event`; an HTTP request to this path, in any spelling, gets a 404.
   */
  eventPath?: string;
  /** Where log lines (tsgi.errors, warnings) go, each prefixed with the request id. Default console.error. */
  log?: (line: string) => void;
  /**
   * Milliseconds the app has for one response (504 before the headers, cut off after; see
   * docs/spec.md, Timeouts). Whatever is set here, the deadline is never later than the invocation's
   * own end (`context.getRemainingTimeInMillis()`) less `timeoutHeadroom`, so that the 504 goes out
   * before Lambda ends the invocation. Default: the invocation's end alone.
   */
  appTimeout?: number;
  /**
   * How long before the invocation's end the app's deadline falls, so that the gateway's own answer
   * still goes out. Default 1000 ms, and never more than a fifth of the time the invocation has left.
   */
  timeoutHeadroom?: number;
}

/** One event read as the HTTP request the front door received. Every field is a checked string. */
export interface EventRequest {
  method: string;
  /** The request target: the path still percent-encoded, then `?` and the raw (or rebuilt) query. */
  target: string;
  /** Header pairs, values as bytes-as-latin1 (the UTF-8 of the event's text). */
  headers: Array<[string, string]>;
  body: Uint8Array;
  scheme: "http" | "https";
  protocol: string;
  /** The front door's own host name (`requestContext.domainName`): SERVER_NAME when no Host arrived. */
  domainName: string | undefined;
  remoteAddr: string | undefined;
  /** A decoded prefix the platform put before the app's path (API Gateway stage, custom-domain base path). */
  platformPrefix: string | undefined;
  requestContext: unknown;
  authorizer: AwsAuthorizer | undefined;
  /** Platform keys of this front door only (`aws.body_truncated`). */
  extras?: Record<string, unknown> | undefined;
  /** The largest result this front door takes, in bytes of JSON; Lambda's 6 MB when unset. */
  resultLimit?: number | undefined;
}

/**
 * One front door's whole mapping, request in and result out, in one module. `detectEvent` picks the
 * front door once and the invocation carries it; nothing switches on the kind again.
 */
export interface FrontDoor<E> {
  readonly kind: HttpEventKind;
  /** Whether a response can be streamed to it (`createStreamingHandler`). */
  readonly streams: boolean;
  /** Incoming: the event as the request the client sent. Throws `MalformedEventError` naming a bad field. */
  toRequest(event: E): EventRequest;
  /** Outgoing: the result for a complete response. `warn` logs what the shape cannot carry. */
  toResult(head: ResponseHead, body: EncodedBody, warn: (message: string) => void): LambdaResult;
}

/** The writable Lambda hands a streaming handler (a node:http request body underneath). */
export interface ResponseStream {
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  end(callback?: () => void): void;
  once(event: "drain" | "close" | "error" | "finish", listener: (...args: unknown[]) => void): unknown;
  off(event: "drain" | "close" | "error" | "finish", listener: (...args: unknown[]) => void): unknown;
  readonly destroyed?: boolean;
  readonly writableFinished?: boolean;
}

/** The `awslambda` global the Node.js runtime provides for response streaming. */
export interface StreamingRuntime {
  streamifyResponse<H>(handler: H, options?: { highWaterMark?: number }): H;
  HttpResponseStream: {
    from(
      stream: ResponseStream,
      prelude: { statusCode: number; headers: Record<string, string>; cookies: string[] },
    ): ResponseStream;
  };
}
