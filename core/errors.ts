/**
 * Error classes: one per condition, each with a stable `code` and a default message.
 * @module
 */

/**
 * Base class of every error tsgi throws.
 *
 * @example
 * ```ts
 * try { startResponse("200", []); } catch (e) { if (e instanceof TsgiError) console.log(e.code); }
 * ```
 */
export class TsgiError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The request cannot be served (conflicting Host, bad Content-Length...): answered with `status`,
 * and the app is never called.
 *
 * @example
 * ```ts
 * throw new BadRequestError("two different Host headers");
 * ```
 */
export class BadRequestError extends TsgiError {
  readonly status: number;
  constructor(message = "bad request", status = 400) {
    super("TSGI_BAD_REQUEST", message);
    this.status = status;
  }
}

/**
 * The app answered a non-HTTP event (a Workers cron or queue batch, a Lambda event delivered through
 * `eventPath`) with a status other than 2xx. Thrown from the platform's event handler so that the
 * platform records the failure and retries (or dead-letters) the event. One class for every platform.
 *
 * @example
 * ```ts
 * if (error instanceof EventFailedError) console.log(error.source, error.status); // "cloudflare.queue", 503
 * ```
 */
export class EventFailedError extends TsgiError {
  /** The event's source, as in `tsgi.event` (`cloudflare.scheduled`, `aws.sqs`...). */
  readonly source: string;
  /** The status the app answered with. */
  readonly status: number;
  constructor(source: string, status: number) {
    super("TSGI_EVENT_FAILED", `the app answered the ${source} event with status ${status}`);
    this.source = source;
    this.status = status;
  }
}

/**
 * A status line given to startResponse is malformed.
 *
 * @example
 * ```ts
 * new InvalidStatusError("200");
 * ```
 */
export class InvalidStatusError extends TsgiError {
  constructor(status: unknown) {
    super(
      "TSGI_INVALID_STATUS",
      `status must be "DDD Reason" (three digits, one space, a reason, no control characters), got ${describe(status)}`,
    );
  }
}

/**
 * A response header is malformed, or is one an app must not set (hop-by-hop).
 *
 * @example
 * ```ts
 * new InvalidHeaderError("Connection", "hop-by-hop headers are the gateway's");
 * ```
 */
export class InvalidHeaderError extends TsgiError {
  constructor(name: unknown, reason: string) {
    super("TSGI_INVALID_HEADER", `invalid response header ${describe(name)}: ${reason}`);
  }
}

/**
 * startResponse, write or the body were used out of order (second startResponse, write after the end...).
 *
 * @example
 * ```ts
 * new ProtocolError("startResponse called twice without excInfo");
 * ```
 */
export class ProtocolError extends TsgiError {
  constructor(message: string) {
    super("TSGI_PROTOCOL", message);
  }
}

/**
 * A body chunk is not a `Uint8Array`.
 *
 * @example
 * ```ts
 * new InvalidChunkError("hello");
 * ```
 */
export class InvalidChunkError extends TsgiError {
  constructor(chunk: unknown) {
    super(
      "TSGI_INVALID_CHUNK",
      `body chunks and write() take Uint8Array, got ${describe(chunk)} (encode text with TextEncoder)`,
    );
  }
}

/**
 * `validate(app)` found a breach of the interface; `rule` is the numbered rule in docs/spec.md.
 *
 * @example
 * ```ts
 * new ValidationError(17, "status must be a string");
 * ```
 */
export class ValidationError extends TsgiError {
  readonly rule: number | string;
  constructor(rule: number | string, message: string) {
    super("TSGI_VALIDATION", `[rule ${rule}] ${message}`);
    this.rule = rule;
  }
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null) return "null";
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.byteLength})`;
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return `${typeof value} ${String(value)}`;
}
