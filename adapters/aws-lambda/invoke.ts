/**
 * One invocation, up to the point where buffered and streaming part ways: the event told apart once,
 * mapped to a RequestInfo, with its per-request log, wait_until tasks and failure watch.
 * @module
 */
import { Buffer } from "node:buffer";
import {
  EventFailedError,
  createErrorStream,
  createWaitUntil,
  getHeader,
  logError,
} from "../../core/index.ts";
import type { App, RequestInfo, ResponseHead } from "../../core/index.ts";
import type { AwsLambdaOptions } from "../aws-lambda.ts";
import { fromAlbEvent } from "./alb.ts";
import { fromApiGatewayV1Event } from "./api-gateway-v1.ts";
import { fromApiGatewayV2Event } from "./api-gateway-v2.ts";
import { type DetectedEvent, detectEvent } from "./detect.ts";
import { UnsupportedEventError } from "./errors.ts";
import { fromFunctionUrlEvent } from "./function-url.ts";
import { type EventRequest, toRequestInfo } from "./request.ts";
import type { HttpEventKind, LambdaContext } from "./types.ts";
import { fromVpcLatticeEvent } from "./vpc-lattice.ts";
import { watchApp } from "./watch.ts";

/** An invocation ready to run. `kind` is `event` for a non-HTTP event delivered through `eventPath`. */
export interface Invocation {
  kind: HttpEventKind | "event";
  info: RequestInfo;
  app: App;
  /** The first exception the app threw, when `rethrow` is set. */
  failure(): { error: unknown } | undefined;
  /** Waits for every `tsgi.wait_until` task. */
  settle(): Promise<void>;
  /** A log line, prefixed with the request id. */
  log(line: string): void;
}

type HttpEvent = Exclude<DetectedEvent, { kind: "unsupported" }>;

/** Incoming: the one switch over the event kinds. */
function fromEvent(detected: HttpEvent, options: AwsLambdaOptions): EventRequest {
  const keep = options.keepForwardedFor ?? false;
  switch (detected.kind) {
    case "api-gateway-v1":
      return fromApiGatewayV1Event(detected.event);
    case "api-gateway-v2":
      return fromApiGatewayV2Event(detected.event);
    case "function-url":
      return fromFunctionUrlEvent(detected.event);
    case "alb":
    case "alb-multi-value":
      return fromAlbEvent(detected.event, keep);
    case "vpc-lattice":
      return fromVpcLatticeEvent(detected.event, keep);
  }
}

/** A non-HTTP event as a POST of its JSON to `path`. */
function fromOtherEvent(event: unknown, path: string, context: LambdaContext): EventRequest {
  return {
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
}

/**
 * Tells the event kind and builds the request. Throws {@link UnsupportedEventError} for an event that
 * is not an HTTP request, unless `eventPath` is set.
 *
 * @example
 * ```ts
 * const invocation = prepareInvocation(app, event, context, options);
 * await serveRequest(invocation.app, invocation.info, sink);
 * ```
 */
export function prepareInvocation(
  app: App,
  event: unknown,
  context: LambdaContext,
  options: AwsLambdaOptions,
): Invocation {
  const sink = options.log ?? ((line: string) => console.error(line));
  const log = (line: string) => sink(`[${context.awsRequestId}] ${line}`);
  const errors = createErrorStream(log);
  const tasks = createWaitUntil((error) => logError(errors, "a tsgi.wait_until task failed", error));
  let failure: { error: unknown } | undefined;
  const watched = options.rethrow ? watchApp(app, (error) => (failure ??= { error })) : app;
  const detected = detectEvent(event);
  let request: EventRequest;
  let kind: HttpEventKind | "event";
  if (detected.kind === "unsupported") {
    if (!options.eventPath) throw new UnsupportedEventError(detected.name);
    request = fromOtherEvent(event, options.eventPath, context);
    kind = "event";
  } else {
    request = fromEvent(detected, options);
    kind = detected.kind;
  }
  const info = toRequestInfo(request, {
    kind,
    event,
    context,
    basePath: options.basePath,
    errors,
    waitUntil: tasks.waitUntil,
  });
  return { kind, info, app: watched, failure: () => failure, settle: tasks.settle, log };
}

/**
 * What a non-HTTP event's invocation returns: the app's body (parsed when JSON) for a 2xx; any other
 * status fails the invocation, so Lambda retries or dead-letters the event.
 *
 * @example
 * ```ts
 * eventResult(head, bytes); // { batchItemFailures: [] }
 * ```
 */
export function eventResult(head: ResponseHead, bytes: Uint8Array): unknown {
  if (head.status < 200 || head.status > 299) throw new EventFailedError("aws.event", head.status);
  if (bytes.byteLength === 0) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return /\bjson\b/i.test(getHeader(head.headers, "content-type") ?? "") ? JSON.parse(text) : text;
}
