/**
 * `tsgi/aws-lambda/http-api`: the Lambda handlers for the payload format 2.0 front doors only,
 * API Gateway HTTP APIs and Function URLs (buffered or `RESPONSE_STREAM`). The same handlers, options
 * and environ as `tsgi/aws-lambda`, whose bundle carries every front door (REST APIs, ALB, VPC
 * Lattice, Lambda@Edge); this one's carries none of those. Any other event is refused with
 * {@link UnsupportedEventError}, or delivered through `eventPath` as with `tsgi/aws-lambda`.
 *
 * @example
 * ```ts
 * import { createHandler, createStreamingHandler } from "tsgi/aws-lambda/http-api";
 * import { app } from "./app.ts";
 * export const handler = createHandler(app); // behind an HTTP API
 * export const streaming = createStreamingHandler(app); // behind a Function URL in RESPONSE_STREAM mode
 * ```
 * @module
 */
import type { App } from "../../core/gateway.ts";
import { detectHttpApiEvent } from "./detect.ts";
import type { LambdaEnviron } from "./environ.ts";
import {
  type LambdaHandler,
  type StreamingHandler,
  type StreamingOptions,
  bufferedHandler,
  streamingHandler,
} from "./handlers.ts";
import type { AwsLambdaOptions } from "./types.ts";

export { EventFailedError } from "../../core/gateway.ts";
export {
  MalformedEventError,
  ResponseAbortedError,
  ResponseTooLargeError,
  StreamingUnavailableError,
  UnsupportedEventError,
} from "./errors.ts";
export { detectHttpApiEvent, type DetectedHttpApiEvent } from "./detect.ts";
export { LAMBDA_RESPONSE_LIMIT, isTextual } from "./response.ts";
export type * from "./types.ts";
export type { LambdaEnviron } from "./environ.ts";
export type { LambdaHandler, StreamingHandler, StreamingOptions } from "./handlers.ts";

const HTTP_API_DOORS = {
  detect: detectHttpApiEvent,
  served:
    "tsgi/aws-lambda/http-api serves API Gateway HTTP API and Function URL events (payload format 2.0; " +
    "tsgi/aws-lambda serves every front door)",
};

/**
 * A buffered handler for HTTP APIs and Function URLs: `createHandler` of `tsgi/aws-lambda`, with
 * the other front doors left out.
 *
 * @example
 * ```ts
 * export const handler = createHandler(app, { basePath: "/api" });
 * ```
 */
export function createHandler(app: App<LambdaEnviron>, options: AwsLambdaOptions = {}): LambdaHandler {
  return bufferedHandler(app, options, HTTP_API_DOORS);
}

/**
 * A streaming handler for Function URLs in `RESPONSE_STREAM` mode (an HTTP API event gets the
 * buffered result): `createStreamingHandler` of `tsgi/aws-lambda`, with the other front doors left out.
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
  return streamingHandler(app, options, HTTP_API_DOORS);
}
