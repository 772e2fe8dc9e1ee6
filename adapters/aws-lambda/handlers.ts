/**
 * The buffered and streaming handlers, made for a given detection: every front door's (the
 * `tsgi/aws-lambda` entry) or only the doors an entry is built for (`tsgi/aws-lambda/http-api`), so
 * that a bundle of the smaller entry carries no other door's code.
 * @module
 */
import type { App } from "../../core/gateway.ts";
import type { DetectedEvent } from "./detect.ts";
import type { LambdaEnviron } from "./environ.ts";
import { StreamingUnavailableError } from "./errors.ts";
import { handlerSetup, prepareInvocation, runBuffered } from "./invoke.ts";
import { streamInvocation } from "./streaming.ts";
import type {
  AwsLambdaOptions,
  LambdaContext,
  LambdaResult,
  ResponseStream,
  StreamingRuntime,
} from "./types.ts";

/** A buffered Lambda handler. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<LambdaResult>;

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

/** How an entry tells its front doors, and what it says to an event it does not serve. */
export interface Doors {
  detect: (event: unknown) => DetectedEvent;
  served?: string;
}

/**
 * The buffered handler of `createHandler`, for `doors`.
 *
 * @example
 * ```ts
 * export const handler = bufferedHandler(app, {}, { detect: detectEvent });
 * ```
 */
export function bufferedHandler(
  app: App<LambdaEnviron>,
  options: AwsLambdaOptions,
  doors: Doors,
): LambdaHandler {
  const setup = handlerSetup(options, doors.detect, doors.served);
  return (event, context) => {
    let invocation;
    try {
      invocation = prepareInvocation(app as App, event, context, setup);
    } catch (error) {
      return Promise.reject(error);
    }
    return runBuffered(invocation, setup);
  };
}

/**
 * The streaming handler of `createStreamingHandler`, for `doors`.
 *
 * @example
 * ```ts
 * export const handler = streamingHandler(app, {}, { detect: detectEvent });
 * ```
 */
export function streamingHandler(
  app: App<LambdaEnviron>,
  options: StreamingOptions,
  doors: Doors,
): StreamingHandler {
  const runtime = options.runtime ?? (globalThis as { awslambda?: StreamingRuntime }).awslambda;
  if (!runtime?.streamifyResponse || !runtime.HttpResponseStream) {
    return () => Promise.reject(new StreamingUnavailableError());
  }
  const setup = handlerSetup(options, doors.detect, doors.served);
  const handler: StreamingHandler = async (event, responseStream, context) =>
    streamInvocation(prepareInvocation(app as App, event, context, setup), responseStream, runtime, setup);
  return runtime.streamifyResponse(handler);
}
