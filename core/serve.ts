/**
 * Serving one request: the environ built, then the app run.
 * @module
 */
import { BadRequestError } from "./errors.ts";
import { buildEnviron } from "./environ.ts";
import { logError } from "./error-stream.ts";
import { SETTLED, startApp } from "./run.ts";
import { type ResponseSink, sendError } from "./sink.ts";
import { withDeadline } from "./timeout.ts";
import type { App, Environ, GatewayRequest } from "./types.ts";

/**
 * Builds the environ for `info` and runs `app`; a request that cannot be served gets its 4xx
 * (logged to `tsgi.errors`) and the app is not called.
 *
 * @example
 * ```ts
 * await serveRequest(app, info, sink);
 * ```
 */
export function serveRequest(app: App, info: GatewayRequest, sink: ResponseSink): Promise<void> {
  return startRequest(app, info, sink) ?? SETTLED;
}

/**
 * {@link serveRequest} for adapters on the hot path: `undefined` when the response went to the sink
 * synchronously (see {@link startApp}).
 * @internal
 */
export function startRequest(app: App, info: GatewayRequest, sink: ResponseSink): Promise<void> | undefined {
  const ms = info.appTimeout;
  if (ms !== undefined && ms > 0 && Number.isFinite(ms)) {
    const what = () => `${info.method} ${JSON.stringify(info.target)}`;
    return withDeadline(sink, ms, info.errors, what, info.method === "HEAD", (timed) =>
      startUntimed(app, info, timed),
    );
  }
  return startUntimed(app, info, sink);
}

function startUntimed(app: App, info: GatewayRequest, sink: ResponseSink): Promise<void> | undefined {
  let environ: Environ;
  try {
    environ = buildEnviron(info);
  } catch (error) {
    return rejectRequest(info, sink, error);
  }
  return startApp(app, environ, sink);
}

/** ` from <address>:<port>` of the client, where the platform knows it. */
function peer(info: GatewayRequest): string {
  if (!info.remoteAddr) return "";
  return info.remotePort ? ` from ${info.remoteAddr}:${info.remotePort}` : ` from ${info.remoteAddr}`;
}

async function rejectRequest(info: GatewayRequest, sink: ResponseSink, error: unknown): Promise<void> {
  if (error instanceof BadRequestError) {
    logError(
      info.errors,
      `rejected ${info.method} ${JSON.stringify(info.target)}${peer(info)}: ${error.message}; answered ${error.status}`,
    );
    await sendError(sink, error.status, info.method === "HEAD");
    return;
  }
  logError(info.errors, "could not build the environ", error);
  await sendError(sink, 500);
}
