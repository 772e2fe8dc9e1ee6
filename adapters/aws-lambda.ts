/**
 * `tsgi/aws-lambda`: run a tsgi app on AWS Lambda behind API Gateway (REST and HTTP APIs), an
 * Application Load Balancer, a Function URL, VPC Lattice or CloudFront (Lambda@Edge).
 *
 * @example
 * ```ts
 * import { createHandler } from "tsgi/aws-lambda";
 * import { app } from "./app.ts";
 * export const handler = createHandler(app);
 * ```
 * @module
 */
import type { App } from "../core/gateway.ts";
import { detectEvent } from "./aws-lambda/detect.ts";
import type { LambdaEnviron } from "./aws-lambda/environ.ts";
import {
  type LambdaHandler,
  type StreamingHandler,
  type StreamingOptions,
  bufferedHandler,
  streamingHandler,
} from "./aws-lambda/handlers.ts";
import type { AwsLambdaOptions } from "./aws-lambda/types.ts";

export { EventFailedError } from "../core/gateway.ts";
export {
  MalformedEventError,
  ResponseAbortedError,
  ResponseTooLargeError,
  StreamingUnavailableError,
  UnsupportedEventError,
} from "./aws-lambda/errors.ts";
export { detectEvent, type DetectedEvent } from "./aws-lambda/detect.ts";
export { eventSource } from "./aws-lambda/events.ts";
export { EDGE_RESPONSE_LIMITS } from "./aws-lambda/lambda-edge.ts";
export { LAMBDA_RESPONSE_LIMIT, isTextual } from "./aws-lambda/response.ts";
export type * from "./aws-lambda/types.ts";
export type { LambdaEnviron } from "./aws-lambda/environ.ts";

export type { LambdaHandler, StreamingHandler, StreamingOptions } from "./aws-lambda/handlers.ts";

const EVERY_DOOR = { detect: detectEvent };

/**
 * A buffered Lambda handler that runs `app` for every HTTP front door. A response cut off after its
 * headers (an app error mid-body) fails the invocation, so the client gets a 502 from the front door
 * rather than a truncated body that looks complete. A malformed event is answered 400 and logged.
 *
 * @example
 * ```ts
 * export const handler = createHandler(app, { basePath: "/api" });
 * ```
 */
export function createHandler(app: App<LambdaEnviron>, options: AwsLambdaOptions = {}): LambdaHandler {
  return bufferedHandler(app, options, EVERY_DOOR);
}

/**
 * A response-streaming handler (Function URLs and REST APIs in streaming mode): the app's chunks reach
 * the client as they are produced, with backpressure. Other front doors and non-HTTP events get the
 * buffered handler's result as the payload. Needs the Lambda Node.js runtime's `awslambda` global (or
 * `options.runtime`); without it, the module still loads (a unit test can import a module exporting
 * both handlers) and each invocation fails with {@link StreamingUnavailableError}.
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
  return streamingHandler(app, options, EVERY_DOOR);
}
