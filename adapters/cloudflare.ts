/**
 * `tsgi/cloudflare`: a tsgi app as a Cloudflare Workers `ExportedHandler`. HTTP goes through
 * tsgi/fetch; Cron Triggers and Queues reach the same app as a `POST` of the event as JSON.
 *
 * @example
 * ```ts
 * import { createWorker } from "tsgi/cloudflare";
 * import { app } from "./app.ts";
 * export default createWorker(app);
 * ```
 * @module
 */
import { EventFailedError } from "../core/gateway.ts";
import type { App, Environ, ErrorStream } from "../core/gateway.ts";
import {
  type MessageBatchLike,
  type ScheduledControllerLike,
  type WorkerEvent,
  toEventRequest,
} from "./cloudflare/events.ts";
import { consoleErrorStream } from "./fetch.ts";
import { createFetchServe } from "./fetch/serve.ts";

export { EventFailedError } from "../core/gateway.ts";
export { eventPayload } from "./cloudflare/events.ts";
export type {
  MessageBatchLike,
  QueueMessageLike,
  ScheduledControllerLike,
  WorkerEvent,
} from "./cloudflare/events.ts";

/** The parts of a Workers `ExecutionContext` the adapter uses. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

export interface WorkerOptions {
  /** Mount prefix moved from PATH_INFO to SCRIPT_NAME (`/app`). */
  scriptName?: string;
  /** Where `tsgi.errors` goes; `console.error` by default (Workers Logs, `wrangler tail`). */
  errors?: ErrorStream;
  /** The paths events are POSTed to. Default `/__tsgi/scheduled` and `/__tsgi/queue`. */
  eventPaths?: { scheduled?: string; queue?: string };
  /** The origin of event requests (SERVER_NAME, SERVER_PORT). Default `http://localhost`. */
  eventOrigin?: string;
  /** Milliseconds the app has for each response or event (504 / cut-off / failed event). Default 0: none. */
  appTimeout?: number;
}

/**
 * The environ on Workers: `cloudflare.env` has the type of the Worker's bindings.
 *
 * @example
 * ```ts
 * interface Env { GREETING: string }
 * export default createWorker<Env>((environ, startResponse) => {
 *   const greeting: string = environ["cloudflare.env"].GREETING;
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return [new TextEncoder().encode(greeting)];
 * });
 * ```
 */
export interface CloudflareEnviron<Env = unknown> extends Environ {
  "cloudflare.env": Env;
  "cloudflare.ctx": ExecutionContextLike;
  /** The request's `cf` object (colo, country, TLS...), absent for events. */
  "cloudflare.cf"?: { [key: string]: unknown; httpProtocol?: string };
  /** The ScheduledController or MessageBatch of a Cron Trigger or Queue event. */
  "cloudflare.event"?: ScheduledControllerLike | MessageBatchLike;
}

/** A Workers module export: `export default createWorker(app)`. */
export interface Worker<Env = unknown> {
  fetch(request: Request, env: Env, ctx: ExecutionContextLike): Promise<Response>;
  scheduled(controller: ScheduledControllerLike, env: Env, ctx: ExecutionContextLike): Promise<void>;
  queue(batch: MessageBatchLike, env: Env, ctx: ExecutionContextLike): Promise<void>;
}

/**
 * Makes the Worker for `app`. environ gets `cloudflare.env`, `cloudflare.ctx` and `cloudflare.cf`
 * (the request's `cf`); REMOTE_ADDR is `CF-Connecting-IP`, which the Cloudflare edge sets.
 *
 * @example
 * ```ts
 * export default createWorker(app, { eventPaths: { scheduled: "/cron" } });
 * ```
 */
export function createWorker<Env = unknown>(
  app: App<CloudflareEnviron<Env>>,
  options: WorkerOptions = {},
): Worker<Env> {
  const errors = options.errors ?? consoleErrorStream();
  const paths = {
    scheduled: options.eventPaths?.scheduled ?? "/__tsgi/scheduled",
    queue: options.eventPaths?.queue ?? "/__tsgi/queue",
  };
  const origin = options.eventOrigin ?? "http://localhost";
  const serve = createFetchServe(app as App, {
    errors,
    multithread: true,
    multiprocess: true,
    // workerd decodes header bytes as UTF-8 (bytes that are not UTF-8 become U+FFFD).
    headerText: "utf8",
    scriptName: options.scriptName,
    // An HTTP request to an event path, in any spelling, is refused by the core (404, logged); only
    // a Request the Worker made for a real event carries `tsgi.event`.
    eventPaths: [paths.scheduled, paths.queue],
    appTimeout: options.appTimeout,
    // The Cloudflare edge sets it on every request.
    addressHeader: "cf-connecting-ip",
  });

  const dispatchEvent = async (event: WorkerEvent, path: string, env: Env, ctx: ExecutionContextLike) => {
    const extras = { "cloudflare.env": env, "cloudflare.ctx": ctx, "cloudflare.event": event.raw };
    const request = toEventRequest(event, new URL(path, origin).href);
    const response = await serve(request, ctx, undefined, undefined, extras, event);
    // Reading the body to its end runs the app to completion (and its close()).
    await response.arrayBuffer();
    if (response.status < 200 || response.status > 299)
      throw new EventFailedError(event.source, response.status);
  };

  return {
    fetch: (request, env, ctx) => {
      // Read once: workerd builds `request.cf` anew at every read. The extension keys go in one
      // literal of a fixed shape (CloudflareEnviron).
      const cf = cfOf(request);
      return serve(
        request,
        ctx,
        undefined,
        cf?.httpProtocol,
        cf
          ? { "cloudflare.env": env, "cloudflare.ctx": ctx, "cloudflare.cf": cf }
          : { "cloudflare.env": env, "cloudflare.ctx": ctx },
      );
    },
    scheduled: (controller, env, ctx) =>
      dispatchEvent({ source: "cloudflare.scheduled", raw: controller }, paths.scheduled, env, ctx),
    queue: (batch, env, ctx) =>
      dispatchEvent({ source: "cloudflare.queue", raw: batch }, paths.queue, env, ctx),
  };
}

/** The `cf` object Workers attach to an incoming Request (absent elsewhere). */
function cfOf(request: Request): { httpProtocol?: string } | undefined {
  const cf = (request as Request & { cf?: unknown }).cf;
  return typeof cf === "object" && cf !== null ? (cf as { httpProtocol?: string }) : undefined;
}
