/**
 * The Lambda adapter's errors: one class per condition, each with a stable `code`.
 * @module
 */
import { TsgiError } from "../../core/index.ts";

/**
 * The event is not an HTTP request the adapter serves (a WebSocket or authorizer event, SQS, S3...).
 *
 * @example
 * ```ts
 * if (error instanceof UnsupportedEventError) console.log(error.eventName);
 * ```
 */
export class UnsupportedEventError extends TsgiError {
  /** What arrived, in words (`an event from aws:sqs (1 record)`). */
  readonly eventName: string;
  constructor(eventName: string) {
    super(
      "TSGI_AWS_UNSUPPORTED_EVENT",
      `tsgi/aws-lambda serves HTTP events (API Gateway REST and HTTP APIs, ALB, Function URLs, VPC Lattice), ` +
        `but got ${eventName}. Set the eventPath option to deliver other events to the app as a POST of their JSON.`,
    );
    this.eventName = eventName;
  }
}

/**
 * A buffered response is larger than Lambda accepts (6 MB of JSON); the client gets a 502 instead.
 *
 * @example
 * ```ts
 * new ResponseTooLargeError(7_000_000, LAMBDA_RESPONSE_LIMIT);
 * ```
 */
export class ResponseTooLargeError extends TsgiError {
  constructor(size: number, limit: number) {
    super(
      "TSGI_AWS_RESPONSE_TOO_LARGE",
      `the response is larger than Lambda's buffered response limit (${size} bytes so far, limit ${limit}); ` +
        `use createStreamingHandler for large bodies`,
    );
  }
}

/**
 * The response failed after its headers counted as sent (an app error mid-body, a body shorter than
 * its Content-Length). The invocation fails with this error, so the front door answers 502 rather
 * than passing on a truncated body that would look complete.
 *
 * @example
 * ```ts
 * new ResponseAbortedError(cause);
 * ```
 */
export class ResponseAbortedError extends TsgiError {
  constructor(cause: unknown) {
    super("TSGI_AWS_RESPONSE_ABORTED", "the response was cut off after its headers were sent", { cause });
  }
}

/**
 * `createStreamingHandler` needs the `awslambda` global of the Lambda Node.js runtime.
 *
 * @example
 * ```ts
 * new StreamingUnavailableError();
 * ```
 */
export class StreamingUnavailableError extends TsgiError {
  constructor() {
    super(
      "TSGI_AWS_NO_STREAMING",
      "response streaming needs the awslambda global of the Lambda Node.js runtime (or the runtime option)",
    );
  }
}
