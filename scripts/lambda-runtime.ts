/**
 * A local stand-in for the `awslambda` global that Lambda's Node.js runtime provides for response
 * streaming, enough for `npm run dev:lambda --stream` and the tests: `streamifyResponse` returns the
 * handler as it is, and `HttpResponseStream.from(response, prelude)` writes the prelude (status,
 * headers, cookies) as the head of a node:http ServerResponse, which is what a Function URL does
 * with it. The runtime's own wire format (the prelude as JSON, then eight zero bytes) is exercised
 * by test/aws-lambda/ric.test.ts inside the real runtime client.
 * @module
 */
import type { ServerResponse } from "node:http";
import type { ResponseStream, StreamingRuntime } from "../adapters/aws-lambda.ts";

/** Thrown when the stand-in gets a stream it cannot write a head to. */
export class NotAServerResponseError extends Error {
  readonly code = "TSGI_NOT_A_SERVER_RESPONSE";
  constructor() {
    super("the local awslambda stand-in streams to a node:http ServerResponse only");
  }
}

const isServerResponse = (stream: ResponseStream): stream is ResponseStream & ServerResponse =>
  typeof (stream as Partial<ServerResponse>).writeHead === "function";

/**
 * The stand-in runtime.
 *
 * @example
 * ```ts
 * const handler = createStreamingHandler(app, { runtime: localStreamingRuntime });
 * createServer((req, res) => handler(toFunctionUrlEvent(request), res, context));
 * ```
 */
export const localStreamingRuntime: StreamingRuntime = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: {
    from(stream, prelude) {
      if (!isServerResponse(stream)) throw new NotAServerResponseError();
      const head: string[] = [];
      for (const [name, value] of Object.entries(prelude.headers)) head.push(name, value);
      for (const cookie of prelude.cookies) head.push("Set-Cookie", cookie);
      stream.writeHead(prelude.statusCode, head);
      return stream;
    },
  },
};

/**
 * Sets `globalThis.awslambda` to the stand-in unless a real runtime put one there, so that a bundle
 * whose module creates its streaming handler at load (as on Lambda) can be imported locally.
 *
 * @example
 * ```ts
 * installLocalRuntime();
 * const { streaming } = await import("./build/examples/hello/lambda/index.mjs");
 * ```
 */
export function installLocalRuntime(): void {
  const global = globalThis as { awslambda?: StreamingRuntime };
  global.awslambda ??= localStreamingRuntime;
}
