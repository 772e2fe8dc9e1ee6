/**
 * `tsgi/fetch`: run a tsgi app on any Fetch-API runtime (Deno, Bun, Vercel Edge, Node's own
 * Request/Response, workerd). Platform-neutral: only Fetch and Streams globals.
 *
 * @example
 * ```ts
 * import { createFetchHandler } from "tsgi/fetch";
 * const handler = createFetchHandler(app);
 * Deno.serve((request) => handler(request));
 * ```
 * @module
 */
import {
  createErrorStream,
  createWaitUntil,
  DEFAULT_EVENT_PATHS,
  logError,
  startRequest,
} from "../core/gateway.ts";
import type { App, ErrorStream, TsgiEvent, WaitUntil } from "../core/gateway.ts";
import { toGatewayRequest } from "./fetch/mapping.ts";
import { createResponseSink } from "./fetch/response-sink.ts";

export { targetOf } from "./fetch/mapping.ts";
export {
  type FetchApp,
  type FromFetchOptions,
  type PlatformArgs,
  fromFetch,
  platformArgs,
  requestUrl,
} from "./fetch/from-fetch.ts";

/** What the runtime passes beside the Request; `waitUntil` keeps it alive for background work. */
export interface FetchPlatform {
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface FetchOptions<P extends FetchPlatform = FetchPlatform> {
  /** Mount prefix moved from PATH_INFO to SCRIPT_NAME (`/app`). */
  scriptName?: string;
  /** Where `tsgi.errors` goes; `console.error` by default. */
  errors?: ErrorStream;
  /** Sets `tsgi.multithread`; default true (requests interleave at `await`). */
  multithread?: boolean;
  /** Sets `tsgi.multiprocess`; default false. */
  multiprocess?: boolean;
  /**
   * The trusted client address for REMOTE_ADDR. Fetch carries no peer address, so there is none
   * unless the runtime gives one (Deno's `info.remoteAddr`, Bun's `server.requestIP`).
   */
  getRemoteAddr?: (request: Request, platform: P | undefined) => string | undefined;
  /** SERVER_PROTOCOL, when the runtime knows it; `HTTP/1.1` otherwise. */
  getProtocol?: (request: Request, platform: P | undefined) => string | undefined;
  /**
   * How the runtime turned header bytes into strings: `latin1` (default; the Fetch ByteString, as
   * undici and Deno do) or `utf8` (workerd decodes them as UTF-8).
   */
  headerText?: "latin1" | "utf8";
  /** Platform extension keys (`cloudflare.*`...) for environ. */
  getExtras?: (request: Request, platform: P | undefined) => Record<string, unknown>;
  /**
   * Paths no HTTP request may reach, in any spelling (`%73`, `//`, `..`, case): they are answered
   * 404 and logged, so that no client can pose as an event. Default {@link DEFAULT_EVENT_PATHS};
   * `[]` reserves none.
   */
  eventPaths?: readonly string[];
  /**
   * The event a Request stands for, when the gateway itself made the Request for a non-HTTP event
   * (tsgi/cloudflare does for Cron Triggers and Queues): it becomes environ `tsgi.event`.
   */
  getEvent?: (request: Request, platform: P | undefined) => TsgiEvent | undefined;
  /**
   * Milliseconds the app has for each whole response: past it, 504 before the headers, a cut-off
   * stream after (logged). Default 0: no limit.
   */
  appTimeout?: number;
}

/** A Fetch handler that also knows how to wait for `tsgi.wait_until` tasks it kept itself. */
export interface FetchHandler<P extends FetchPlatform = FetchPlatform> {
  (request: Request, platform?: P): Promise<Response>;
  /** Resolves when every `tsgi.wait_until` task without a platform `waitUntil` has settled. */
  settle(): Promise<void>;
}

/**
 * `tsgi.errors` on `console.error`, the one log every Fetch runtime has (the default).
 *
 * @example
 * ```ts
 * createFetchHandler(app, { errors: consoleErrorStream() });
 * ```
 */
export function consoleErrorStream(): ErrorStream {
  return createErrorStream((line) => console.error(line));
}

/**
 * A `tsgi.wait_until` that never throws: failures are logged, and the promise goes to the
 * platform's `waitUntil` when there is one, else to `fallback`.
 */
function guardedWaitUntil(
  platform: FetchPlatform | undefined,
  fallback: WaitUntil,
  errors: ErrorStream,
): WaitUntil {
  return (promise) => {
    const task = Promise.resolve(promise).catch((error: unknown) =>
      logError(errors, "a tsgi.wait_until task failed", error),
    );
    try {
      if (platform?.waitUntil) platform.waitUntil(task);
      else fallback(task);
    } catch (error) {
      logError(errors, "the platform refused a tsgi.wait_until task", error);
    }
  };
}

/**
 * Makes `(request, platform?) => Promise<Response>` that runs `app`. The promise resolves as soon
 * as the headers count as sent; the body then streams as the client reads it.
 *
 * @example
 * ```ts
 * const handler = createFetchHandler(app, { getRemoteAddr: (_req, info) => info?.ip });
 * export default { fetch: handler };
 * ```
 */
export function createFetchHandler<P extends FetchPlatform = FetchPlatform>(
  app: App,
  options: FetchOptions<P> = {},
): FetchHandler<P> {
  const errors = options.errors ?? consoleErrorStream();
  const tasks = createWaitUntil((error) => logError(errors, "a tsgi.wait_until task failed", error));
  // Without a platform the guarded wait_until is the same for every request: made once.
  const ownWaitUntil = guardedWaitUntil(undefined, tasks.waitUntil, errors);
  const multithread = options.multithread ?? true;
  const multiprocess = options.multiprocess ?? false;
  const eventPaths = options.eventPaths ?? DEFAULT_EVENT_PATHS;
  const handler = (request: Request, platform?: P): Promise<Response> => {
    try {
      const waitUntil = platform ? guardedWaitUntil(platform, tasks.waitUntil, errors) : ownWaitUntil;
      const info = toGatewayRequest(request, {
        errors,
        waitUntil,
        multithread,
        multiprocess,
        scriptName: options.scriptName,
        headerText: options.headerText,
        remoteAddr: options.getRemoteAddr?.(request, platform),
        protocol: options.getProtocol?.(request, platform),
        extras: options.getExtras?.(request, platform),
        eventPaths,
        event: options.getEvent?.(request, platform),
        appTimeout: options.appTimeout,
      });
      const out = createResponseSink(request.method, errors);
      const served = startRequest(app, info, out.sink);
      // The rest of the body streams after the Response is returned: keep the platform alive for it.
      if (served && platform?.waitUntil) waitUntil(served);
      // A synchronous app's Response is ready now: no promise of it to wait on.
      return out.ready ? Promise.resolve(out.ready) : out.response;
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return Object.assign(handler, { settle: tasks.settle });
}
