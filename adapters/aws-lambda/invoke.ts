/**
 * One invocation, up to the point where buffered and streaming part ways: the front door told apart
 * once and carried along, the event mapped to a GatewayRequest, with its per-request log, wait_until
 * tasks and failure watch; and the buffered run both handlers share.
 * @module
 */
import {
  createErrorStream,
  createWaitUntil,
  DEFAULT_EVENT_PATHS,
  logError,
  percentDecode,
  sendError,
  splitTarget,
  startRequest,
} from "../../core/gateway.ts";
import type { App, GatewayRequest, HeaderList, ResponseSink, TsgiEvent } from "../../core/gateway.ts";
import type { Detected, DetectedEvent } from "./detect.ts";
import { MalformedEventError, ResponseAbortedError, UnsupportedEventError } from "./errors.ts";
import { eventResult, fromOtherEvent } from "./events.ts";
import { toGatewayRequest } from "./request.ts";
import {
  LAMBDA_RESPONSE_LIMIT,
  type ResultDoor,
  buildResult,
  createCollector,
  encodeBody,
  tooLargeResult,
} from "./response.ts";
import type { AwsLambdaOptions, EventRequest, LambdaContext, LambdaResult } from "./types.ts";
import { watchApp } from "./watch.ts";

/** The options as a handler uses them, worked out once when the handler is made. */
export interface HandlerSetup extends AwsLambdaOptions {
  /** The reserved event paths and the decoded path of `eventPath`: no HTTP request may reach them. */
  eventPaths: readonly string[];
  encode: (headers: HeaderList, bytes: Uint8Array) => { body: string; isBase64Encoded: boolean };
  /** Where log lines go: `options.log`, else `console.error`. */
  sink: (line: string) => void;
  /** Tells the front door: every door's detection, or only the doors an entry is built for. */
  detect: (event: unknown) => DetectedEvent;
  /** What the handler serves, for the error an unsupported event gets. */
  served: string | undefined;
}

/**
 * Works out a handler's options once.
 *
 * @example
 * ```ts
 * const setup = handlerSetup({ eventPath: "/events" }, detectEvent); // setup.eventPaths: [...DEFAULT_EVENT_PATHS, "/events"]
 * ```
 */
export function handlerSetup(
  options: AwsLambdaOptions,
  detect: (event: unknown) => DetectedEvent,
  served?: string,
): HandlerSetup {
  // The Workers defaults are reserved here too, as on every platform: an app written for Workers
  // that trusts the path cannot be fooled on Lambda.
  const eventPaths = options.eventPath
    ? [...DEFAULT_EVENT_PATHS, percentDecode(splitTarget(options.eventPath).path)]
    : DEFAULT_EVENT_PATHS;
  const isBinary = options.isBinary;
  return {
    ...options,
    eventPaths,
    encode: (headers, bytes) => encodeBody(headers, bytes, isBinary),
    sink: options.log ?? ((line: string) => console.error(line)),
    detect,
    served,
  };
}

/**
 * The one call into the front door's request mapping. Each variant of DetectedEvent pairs an event
 * with the door for its type, so any of them is a `Detected<string, unknown>` here.
 */
function requestOf(detected: Detected<string, unknown>): EventRequest {
  return detected.door.toRequest(detected.event);
}

/** An invocation ready to run, for an HTTP front door (`door`) or a non-HTTP event (`source`). */
export interface Invocation {
  /** The front door; undefined for a non-HTTP event delivered through `eventPath`. */
  door: ResultDoor | undefined;
  /** A non-HTTP event's `tsgi.event` source. */
  source: string;
  info: GatewayRequest;
  app: App;
  /** The largest result the front door takes. */
  limit: number;
  /** Set when the event was malformed: the response is a 400 and the app is not called. */
  refused: MalformedEventError | undefined;
  /** The first exception the app threw, when `rethrow` is set. */
  failure(): { error: unknown } | undefined;
  /** The `tsgi.wait_until` tasks: `settle()` waits for every one. */
  tasks: { settle(): Promise<void>; idle(): boolean };
  /** A log line, prefixed with the request id. */
  log(line: string): void;
}

/**
 * Tells the front door and builds the request. Throws {@link UnsupportedEventError} for an event that
 * is not an HTTP request, unless `eventPath` is set. A malformed HTTP event is not thrown: the
 * invocation is `refused` (logged, answered 400 by {@link serveInvocation}).
 *
 * @example
 * ```ts
 * const invocation = prepareInvocation(app, event, context, handlerSetup(options, detectEvent));
 * await serveInvocation(invocation, sink);
 * ```
 */
export function prepareInvocation(
  app: App,
  event: unknown,
  context: LambdaContext,
  setup: HandlerSetup,
): Invocation {
  const sink = setup.sink;
  const log = (line: string) => sink(`[${context.awsRequestId}] ${line}`);
  const errors = createErrorStream(log);
  const tasks = createWaitUntil((error) => logError(errors, "a tsgi.wait_until task failed", error));
  let failure: { error: unknown } | undefined;
  const watched = setup.rethrow ? watchApp(app, (error) => (failure ??= { error })) : app;
  const detected = setup.detect(event);
  let request: EventRequest;
  let door: ResultDoor | undefined;
  let tsgiEvent: TsgiEvent | undefined;
  let refused: MalformedEventError | undefined;
  if (detected.kind === "unsupported") {
    if (!setup.eventPath) throw new UnsupportedEventError(detected.name, setup.served);
    ({ request, event: tsgiEvent } = fromOtherEvent(event, setup.eventPath, context));
  } else {
    door = detected.door;
    try {
      request = requestOf(detected);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      refused = error;
      request = REFUSED_REQUEST;
      log(`tsgi: refused the ${detected.kind} event with 400: ${error.message}`);
    }
  }
  const info = toGatewayRequest(request, {
    kind: detected.kind === "unsupported" ? "event" : detected.kind,
    event,
    context,
    basePath: setup.basePath,
    errors,
    waitUntil: tasks.waitUntil,
    tsgiEvent,
    eventPaths: tsgiEvent ? undefined : setup.eventPaths,
  });
  info.appTimeout = deadlineOf(context, setup);
  return {
    door,
    source: tsgiEvent?.source ?? "aws.event",
    info,
    app: watched,
    limit: request.resultLimit ?? LAMBDA_RESPONSE_LIMIT,
    refused,
    failure: () => failure,
    tasks,
    log,
  };
}

/** Default of `timeoutHeadroom`. */
const TIMEOUT_HEADROOM = 1000;

/**
 * The app's deadline for this invocation: the `appTimeout` option, but never later than the
 * invocation's own end less the headroom (at most a fifth of what is left), so that the gateway's
 * 504 or cut-off goes out before Lambda ends the invocation. Undefined when neither is known.
 */
function deadlineOf(context: LambdaContext, setup: HandlerSetup): number | undefined {
  const option = setup.appTimeout !== undefined && setup.appTimeout > 0 ? setup.appTimeout : undefined;
  const remaining =
    typeof context.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : NaN;
  if (!Number.isFinite(remaining) || remaining <= 0) return option;
  const headroom = Math.min(setup.timeoutHeadroom ?? TIMEOUT_HEADROOM, remaining / 5);
  const budget = Math.max(1, Math.floor(remaining - headroom));
  return option === undefined ? budget : Math.min(option, budget);
}

/** Stands in for the request of a refused event: the app is not called, only the 400 goes out. */
const REFUSED_REQUEST: EventRequest = {
  method: "GET",
  target: "/",
  headers: [],
  body: new Uint8Array(0),
  scheme: "https",
  protocol: "HTTP/1.1",
  domainName: undefined,
  remoteAddr: undefined,
  platformPrefix: undefined,
  requestContext: undefined,
  authorizer: undefined,
};

/**
 * Serves the invocation onto `sink`: the app, or the 400 of a refused event. `undefined` when the
 * response already went to the sink synchronously.
 *
 * @example
 * ```ts
 * await serveInvocation(invocation, collector.sink);
 * ```
 */
export function serveInvocation(invocation: Invocation, sink: ResponseSink): Promise<void> | undefined {
  if (invocation.refused) return sendError(sink, 400);
  return startRequest(invocation.app, invocation.info, sink);
}

/**
 * Runs an invocation to a whole result: the front door's result, or a non-HTTP event's. Shared by
 * the buffered handler and by the streaming handler for front doors and events that do not stream,
 * so both treat `rethrow`, cut-off responses and non-2xx answers to events the same way.
 *
 * @example
 * ```ts
 * const result = await runBuffered(invocation, setup);
 * ```
 */
export async function runBuffered(invocation: Invocation, setup: HandlerSetup): Promise<LambdaResult> {
  const door = invocation.door;
  // HTTP results encode a whole response at once (the copy the chunk rule asks for); a non-HTTP
  // event's result is parsed from the bytes instead.
  const collector = createCollector(invocation.limit, door ? setup.encode : undefined);
  try {
    // Usually settled already (a synchronous app, one whole response): then no turn is spent.
    const served = serveInvocation(invocation, collector.sink);
    if (served) await served;
  } finally {
    // Nothing pending is the usual case: then no turn is spent on awaiting a settled promise.
    if (!invocation.tasks.idle()) await invocation.tasks.settle();
  }
  const failure = invocation.failure();
  if (failure) throw failure.error;
  const outcome = collector.outcome();
  if (outcome.type === "aborted") throw new ResponseAbortedError(outcome.reason);
  if (!door) {
    if (outcome.type === "too-large") throw outcome.error;
    // No encoder was given for an event invocation: its body is the bytes.
    return eventResult(outcome.head, outcome.body as Uint8Array, invocation.source);
  }
  if (outcome.type === "too-large")
    return tooLargeResult(door, outcome.error, invocation.log, invocation.limit);
  return buildResult(door, outcome.head, outcome.body, {
    isBinary: setup.isBinary,
    log: invocation.log,
    limit: invocation.limit,
  });
}
