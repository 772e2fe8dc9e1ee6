/**
 * Non-HTTP Workers events (Cron Triggers, Queues) as the one request shape every tsgi platform uses
 * for events: `POST <path>` with the event as JSON, and the raw event in environ `tsgi.event`.
 * Pure functions, no I/O.
 * @module
 */
import { bytesToLatin1 } from "../../core/gateway.ts";

/** The parts of a Workers `ScheduledController` the adapter uses. */
export interface ScheduledControllerLike {
  readonly cron: string;
  readonly scheduledTime: number;
}

/** The parts of a Workers queue `Message` the adapter uses. */
export interface QueueMessageLike {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** The parts of a Workers `MessageBatch` the adapter uses. */
export interface MessageBatchLike {
  readonly queue: string;
  readonly messages: readonly QueueMessageLike[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

/** One non-HTTP event, told apart once: the tag names its source. */
export type WorkerEvent =
  | { source: "cloudflare.scheduled"; raw: ScheduledControllerLike }
  | { source: "cloudflare.queue"; raw: MessageBatchLike };

/** A queue message body as JSON: bytes as base64 (JSON has no bytes), anything else as it is. */
function messageBody(body: unknown): { body: unknown; bodyEncoding?: "base64" } {
  if (body instanceof ArrayBuffer)
    return { body: btoa(bytesToLatin1(new Uint8Array(body))), bodyEncoding: "base64" };
  if (ArrayBuffer.isView(body)) {
    const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return { body: btoa(bytesToLatin1(bytes)), bodyEncoding: "base64" };
  }
  return { body };
}

/** The JSON an app receives for an event (documented in docs/spec.md, "Events"). */
export function eventPayload(event: WorkerEvent): Record<string, unknown> {
  if (event.source === "cloudflare.scheduled") {
    return { source: event.source, cron: event.raw.cron, scheduledTime: event.raw.scheduledTime };
  }
  return {
    source: event.source,
    queue: event.raw.queue,
    messages: event.raw.messages.map((m) => ({
      id: m.id,
      timestamp: m.timestamp.getTime(),
      attempts: m.attempts,
      ...messageBody(m.body),
    })),
  };
}

/**
 * The Request that carries `event` to the app: `POST <origin><path>`, JSON body. It has no
 * CF-Connecting-IP, so environ has no REMOTE_ADDR.
 *
 * @example
 * ```ts
 * toEventRequest({ source: "cloudflare.scheduled", raw: controller }, "http://localhost/__tsgi/scheduled");
 * ```
 */
export function toEventRequest(event: WorkerEvent, url: string): Request {
  return new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(eventPayload(event)),
  });
}
