/**
 * The per-request path of the Fetch adapter, shared by tsgi/fetch and tsgi/cloudflare: what a
 * handler knows up front is worked out once, and each request brings only its own fields, so the
 * Workers entry passes what it read from the Request without callbacks or a platform object of
 * its own.
 * @module
 */
import { createWaitUntil, logError, startRequest } from "../../core/gateway.ts";
import type { App, ErrorStream, TsgiEvent, WaitUntil } from "../../core/gateway.ts";
import { type FetchSetup, toGatewayRequest } from "./mapping.ts";
import { createResponseSink } from "./response-sink.ts";

/** The part of a platform argument the adapter uses: Workers' `ExecutionContext` is one. */
export interface WaitUntilTarget {
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/**
 * Serves one Request: `platform` keeps the request alive for background work, the other
 * arguments are the request's own environ fields (REMOTE_ADDR, SERVER_PROTOCOL, extension keys,
 * `tsgi.event`).
 * @internal
 */
export interface FetchServe {
  (
    request: Request,
    platform: WaitUntilTarget | undefined,
    remoteAddr?: string,
    protocol?: string,
    extras?: Record<string, unknown>,
    event?: TsgiEvent,
  ): Promise<Response>;
  /** Resolves when every `tsgi.wait_until` task kept without a platform has settled. */
  settle(): Promise<void>;
}

/**
 * A `tsgi.wait_until` that never throws: failures are logged, and the promise goes to the
 * platform's `waitUntil`.
 */
function guardedWaitUntil(platform: WaitUntilTarget, errors: ErrorStream): WaitUntil {
  return (promise) => {
    const task = Promise.resolve(promise).catch((error: unknown) =>
      logError(errors, "a tsgi.wait_until task failed", error),
    );
    try {
      platform.waitUntil!(task);
    } catch (error) {
      logError(errors, "the platform refused a tsgi.wait_until task", error);
    }
  };
}

/**
 * Makes the per-request function of a Fetch handler for `app`.
 *
 * @example
 * ```ts
 * const serve = createFetchServe(app, setup);
 * const response = await serve(request, ctx, request.headers.get("cf-connecting-ip") ?? undefined);
 * ```
 * @internal
 */
export function createFetchServe(app: App, setup: FetchSetup): FetchServe {
  const errors = setup.errors;
  const tasks = createWaitUntil((error) => logError(errors, "a tsgi.wait_until task failed", error));
  // Without a platform, tsgi.wait_until is the same for every request (it never throws).
  const ownWaitUntil: WaitUntil = tasks.waitUntil;
  const serve = (
    request: Request,
    platform: WaitUntilTarget | undefined,
    remoteAddr?: string,
    protocol?: string,
    extras?: Record<string, unknown>,
    event?: TsgiEvent,
  ): Promise<Response> => {
    try {
      const keepAlive = platform?.waitUntil ? platform : undefined;
      const waitUntil = keepAlive ? guardedWaitUntil(keepAlive, errors) : ownWaitUntil;
      const info = toGatewayRequest(request, setup, waitUntil, remoteAddr, protocol, extras, event);
      const out = createResponseSink(request.method, errors);
      const served = startRequest(app, info, out.sink);
      if (served && keepAlive) {
        // The rest of the body streams after the Response is returned: keep the platform alive
        // for it. The run never rejects, so it needs no guard of its own.
        try {
          keepAlive.waitUntil!(served);
        } catch (error) {
          logError(errors, "the platform refused to keep the response running", error);
        }
      }
      // A synchronous app's Response is ready now: no promise of it to wait on.
      return out.ready ? Promise.resolve(out.ready) : out.response;
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return Object.assign(serve, { settle: tasks.settle });
}
