/**
 * `tsgi/aws-lambda`: run a tsgi app on AWS Lambda behind API Gateway (REST and HTTP APIs), an
 * Application Load Balancer, a Function URL or VPC Lattice.
 *
 * @example
 * ```ts
 * import { createHandler } from "tsgi/aws-lambda";
 * import { app } from "./app.ts";
 * export const handler = createHandler(app);
 * ```
 * @module
 */
import { startRequest } from "../core/body.ts";
import type { App, HeaderList } from "../core/types.ts";
import type { LambdaEnviron } from "./aws-lambda/environ.ts";
import { ResponseAbortedError, StreamingUnavailableError } from "./aws-lambda/errors.ts";
import { eventResult, prepareInvocation } from "./aws-lambda/invoke.ts";
import {
  LAMBDA_RESPONSE_LIMIT,
  buildResult,
  createCollector,
  encodeBody,
  tooLargeResult,
} from "./aws-lambda/response.ts";
import { streamInvocation } from "./aws-lambda/streaming.ts";
import type { LambdaContext, LambdaResult, ResponseStream, StreamingRuntime } from "./aws-lambda/types.ts";

export { EventFailedError } from "../core/index.ts";
export {
  ResponseAbortedError,
  ResponseTooLargeError,
  StreamingUnavailableError,
  UnsupportedEventError,
} from "./aws-lambda/errors.ts";
export { detectEvent, type DetectedEvent } from "./aws-lambda/detect.ts";
export { LAMBDA_RESPONSE_LIMIT, isTextual } from "./aws-lambda/response.ts";
export type * from "./aws-lambda/types.ts";
export type { LambdaEnviron } from "./aws-lambda/environ.ts";

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
  /** Deliver non-HTTP events (SQS, S3, EventBridge...) to the app as a POST of the event JSON to this path. */
  eventPath?: string;
  /** ALB and VPC Lattice: leave the hop taken for REMOTE_ADDR in X-Forwarded-For. */
  keepForwardedFor?: boolean;
  /** Where log lines (tsgi.errors, warnings) go, each prefixed with the request id. Default console.error. */
  log?: (line: string) => void;
}

/** A buffered Lambda handler. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<LambdaResult>;

/**
 * A buffered Lambda handler that runs `app` for every HTTP event kind. A response cut off after its
 * headers (an app error mid-body) fails the invocation, so the client gets a 502 from the front door
 * rather than a truncated body that looks complete.
 *
 * @example
 * ```ts
 * export const handler = createHandler(app, { basePath: "/api" });
 * ```
 */
export function createHandler(app: App<LambdaEnviron>, options: AwsLambdaOptions = {}): LambdaHandler {
  // HTTP results encode a whole response at once (the copy the chunk rule asks for); a non-HTTP
  // event's result is parsed from the bytes instead.
  const encode = (headers: HeaderList, bytes: Uint8Array) => encodeBody(headers, bytes, options.isBinary);
  return async (event, context) => {
    // The request mapping sets the aws.* keys LambdaEnviron declares.
    const invocation = prepareInvocation(app as App, event, context, options);
    const collector = createCollector(
      LAMBDA_RESPONSE_LIMIT,
      invocation.kind === "event" ? undefined : encode,
    );
    try {
      // Usually settled already (a synchronous app, one whole response): then no turn is spent.
      const served = startRequest(invocation.app, invocation.info, collector.sink);
      if (served) await served;
    } finally {
      await invocation.settle();
    }
    const failure = invocation.failure();
    if (failure) throw failure.error;
    const outcome = collector.outcome();
    if (outcome.type === "aborted") throw new ResponseAbortedError(outcome.reason);
    if (invocation.kind === "event") {
      if (outcome.type === "too-large") throw outcome.error;
      // No encoder was given for an event invocation: its body is the bytes.
      return eventResult(outcome.head, outcome.body as Uint8Array);
    }
    if (outcome.type === "too-large") return tooLargeResult(invocation.kind, outcome.error, invocation.log);
    return buildResult(invocation.kind, outcome.head, outcome.body, {
      isBinary: options.isBinary,
      log: invocation.log,
    });
  };
}

export interface StreamingOptions extends AwsLambdaOptions {
  /** The runtime's streaming API; the `awslambda` global by default. */
  runtime?: StreamingRuntime;
}

/** A streaming Lambda handler, as `awslambda.streamifyResponse` returns it. */
export type StreamingHandler = (
  event: unknown,
  stream: ResponseStream,
  context: LambdaContext,
) => Promise<void>;

/**
 * A response-streaming handler (Function URLs and REST APIs in streaming mode): the app's chunks reach
 * the client as they are produced, with backpressure. Needs the Lambda Node.js runtime's `awslambda`
 * global (or `options.runtime`).
 *
 * @example
 * ```ts
 * export const handler = createStreamingHandler(app);
 * ```
 */
export function createStreamingHandler(
  app: App<LambdaEnviron>,
  options: StreamingOptions = {},
): StreamingHandler {
  const runtime = options.runtime ?? (globalThis as { awslambda?: StreamingRuntime }).awslambda;
  if (!runtime?.streamifyResponse || !runtime.HttpResponseStream) throw new StreamingUnavailableError();
  const handler: StreamingHandler = async (event, responseStream, context) => {
    const invocation = prepareInvocation(app as App, event, context, options);
    await streamInvocation(invocation, responseStream, runtime, options.rethrow ?? false);
  };
  return runtime.streamifyResponse(handler);
}
