/**
 * tsgi: the TypeScript Gateway Interface. PEP 3333 (WSGI) carried into TypeScript.
 *
 * @example
 * ```ts
 * import type { App } from "tsgi";
 * const app: App = (environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return [new TextEncoder().encode(`Hello from ${environ.PATH_INFO}\n`)];
 * };
 * ```
 * @module
 */
export type {
  App,
  Body,
  BodySource,
  Environ,
  ErrorStream,
  GatewayRequest,
  HeaderList,
  InputStream,
  Middleware,
  StartResponse,
  TsgiEvent,
  WaitUntil,
  Write,
} from "./types.ts";
export {
  BadRequestError,
  EventFailedError,
  InvalidChunkError,
  InvalidHeaderError,
  InvalidStatusError,
  ProtocolError,
  TsgiError,
  ValidationError,
} from "./errors.ts";
export { DEFAULT_EVENT_PATHS, buildEnviron, createWaitUntil, isEventPath, splitTarget } from "./environ.ts";
export { HOP_BY_HOP, checkHeaders, getHeader, headersToEnviron, parseStatus } from "./headers.ts";
export { createErrorStream, logError } from "./error-stream.ts";
export { createInput } from "./input.ts";
export { ResponseState, type ResponseHead } from "./start-response.ts";
export { closing } from "./closing.ts";
export { runApp } from "./run.ts";
export { sendError, type ResponseSink } from "./sink.ts";
export { serveRequest } from "./serve.ts";
export { compose } from "./middleware.ts";
export { mount } from "./mount.ts";
export { validate } from "./validate.ts";
export {
  applicationUri,
  bytesToLatin1,
  hostUrl,
  latin1ToBytes,
  latin1ToUtf8,
  percentDecode,
  percentEncode,
  requestUri,
  utf8ToLatin1,
} from "./url.ts";
