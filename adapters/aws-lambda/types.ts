/**
 * Minimal structural types of the Lambda events and results this adapter reads and writes. Only the
 * fields used are declared; everything is optional or nullable where AWS samples show it missing, so
 * that a hand-written or console test event is read the same way as a real one.
 * @module
 */

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

/** The event kinds served as HTTP requests. */
export type HttpEventKind =
  | "api-gateway-v1"
  | "api-gateway-v2"
  | "function-url"
  | "alb"
  | "alb-multi-value"
  | "vpc-lattice";

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

/** Whatever the buffered handler returns to Lambda. */
export type LambdaResult = ApiGatewayV1Result | ApiGatewayV2Result | AlbResult | unknown;

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
