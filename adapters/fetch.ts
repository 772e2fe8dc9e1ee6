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
import { DEFAULT_EVENT_PATHS, createErrorStream } from "../core/gateway.ts";
import type { App, ErrorStream, TsgiEvent } from "../core/gateway.ts";
import { createFetchServe } from "./fetch/serve.ts";

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
  const serve = createFetchServe(app, {
    errors: options.errors ?? consoleErrorStream(),
    multithread: options.multithread ?? true,
    multiprocess: options.multiprocess ?? false,
    scriptName: options.scriptName,
    headerText: options.headerText,
    eventPaths: options.eventPaths ?? DEFAULT_EVENT_PATHS,
    appTimeout: options.appTimeout,
  });
  const { getRemoteAddr, getProtocol, getExtras, getEvent } = options;
  const handler = (request: Request, platform?: P): Promise<Response> => {
    try {
      return serve(
        request,
        platform,
        getRemoteAddr?.(request, platform),
        getProtocol?.(request, platform),
        getExtras?.(request, platform),
        getEvent?.(request, platform),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return Object.assign(handler, { settle: serve.settle });
}
