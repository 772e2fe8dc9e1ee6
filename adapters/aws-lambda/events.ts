/**
 * Non-HTTP events (SQS, S3, EventBridge, schedules...) delivered through the `eventPath` option: in,
 * a POST of the event JSON marked by environ `tsgi.event`; out, the app's 2xx body as the invocation's
 * result, or a failed invocation for any other status (so Lambda retries or dead-letters the event).
 * @module
 */
import { Buffer } from "node:buffer";
import { EventFailedError, getHeader } from "../../core/gateway.ts";
import type { ResponseHead, TsgiEvent } from "../../core/gateway.ts";
import type { EventRequest, JsonObject, LambdaContext } from "./types.ts";

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `aws:sqs` (how event source mappings name themselves) as a `tsgi.event` source: `aws.sqs`. */
const dotted = (name: string) => name.replace(/^aws:/, "aws.");

/**
 * The `tsgi.event` source of a non-HTTP event, from its tell-tale fields: `Records[0].eventSource`
 * (`aws.sqs`, `aws.s3`, `aws.dynamodb`, `aws.kinesis`; SNS's `EventSource`: `aws.sns`), a top-level
 * `eventSource` (`aws.kafka`, `aws.mq`), an EventBridge envelope (`aws.scheduler` for EventBridge
 * Scheduler, `aws.events` for any other), CloudWatch Logs (`aws.logs`); `aws.event` when nothing tells.
 *
 * @example
 * ```ts
 * eventSource({ Records: [{ eventSource: "aws:sqs" }] }); // "aws.sqs"
 * ```
 */
export function eventSource(event: unknown): string {
  if (!isObject(event)) return "aws.event";
  const records = event.Records;
  if (Array.isArray(records) && isObject(records[0])) {
    const source = records[0].eventSource ?? records[0].EventSource;
    if (typeof source === "string" && source.startsWith("aws:")) return dotted(source);
  }
  if (typeof event.eventSource === "string" && event.eventSource.startsWith("aws:"))
    return dotted(event.eventSource);
  if (typeof event.source === "string" && typeof event["detail-type"] === "string") {
    return event.source === "aws.scheduler" ? "aws.scheduler" : "aws.events";
  }
  if (isObject(event.awslogs)) return "aws.logs";
  return "aws.event";
}

/**
 * Incoming: the event as `POST <path>` with its JSON as the body, and `tsgi.event` to mark it.
 *
 * @example
 * ```ts
 * const { request, event: marked } = fromOtherEvent(sqsEvent, "/events", context);
 * ```
 */
export function fromOtherEvent(
  event: unknown,
  path: string,
  context: LambdaContext,
): { request: EventRequest; event: TsgiEvent } {
  const request: EventRequest = {
    method: "POST",
    target: path,
    headers: [
      ["Host", context.functionName || "localhost"],
      ["Content-Type", "application/json"],
    ],
    body: Buffer.from(JSON.stringify(event) ?? "null"),
    scheme: "https",
    protocol: "HTTP/1.1",
    domainName: undefined,
    remoteAddr: undefined,
    platformPrefix: undefined,
    requestContext: undefined,
    authorizer: undefined,
  };
  return { request, event: { source: eventSource(event), raw: event } };
}

/**
 * Outgoing: what a non-HTTP event's invocation returns, the same from both handlers. The app's body
 * (parsed when JSON) for a 2xx; any other status throws {@link EventFailedError} with the source.
 *
 * @example
 * ```ts
 * eventResult(head, bytes, "aws.sqs"); // { batchItemFailures: [] }
 * ```
 */
export function eventResult(head: ResponseHead, bytes: Uint8Array, source: string): unknown {
  if (head.status < 200 || head.status > 299) throw new EventFailedError(source, head.status);
  if (bytes.byteLength === 0) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return /\bjson\b/i.test(getHeader(head.headers, "content-type") ?? "") ? JSON.parse(text) : text;
}
