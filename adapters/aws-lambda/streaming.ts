/**
 * Outgoing, streamed: the core's ResponseSink onto Lambda's response stream. Status, headers and
 * cookies go in the prelude (`awslambda.HttpResponseStream.from`), each chunk as the app yields it.
 * A front door that does not stream, and a non-HTTP event, get the buffered run's result written
 * as the payload instead, so both handlers answer them alike.
 * @module
 */
import { Buffer } from "node:buffer";
import type { ResponseSink } from "../../core/gateway.ts";
import { toV2Head } from "./api-gateway-v2.ts";
import { ResponseAbortedError } from "./errors.ts";
import { type HandlerSetup, type Invocation, runBuffered, serveInvocation } from "./invoke.ts";
import type { ResponseStream, StreamingRuntime } from "./types.ts";

/** Writes one chunk; resolves at once, or when the stream drains (backpressure) or closes. */
function write(stream: ResponseStream, bytes: Uint8Array): void | Promise<void> {
  if (stream.write(bytes)) return;
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.once("drain", done);
    stream.once("close", done);
  });
}

/** Ends the stream; resolves once everything was handed to the runtime (or the stream broke). */
function end(stream: ResponseStream): Promise<void> {
  return new Promise<void>((resolve) => {
    stream.once("error", () => resolve());
    stream.once("close", () => resolve());
    stream.end(() => resolve());
  });
}

/**
 * Runs one invocation onto `responseStream`. An error after the prelude rejects (so the runtime
 * ends the stream with error trailers and the client sees it cut off, never error text appended);
 * with `rethrow`, an app error rejects with the app's own error, as in the buffered handler.
 * `tsgi.wait_until` tasks settle after the stream ended, so the client is not kept waiting, but
 * before the invocation returns (the environment is only frozen when the runtime asks for the next
 * event).
 *
 * @example
 * ```ts
 * await streamInvocation(invocation, responseStream, awslambda, setup);
 * ```
 */
export async function streamInvocation(
  invocation: Invocation,
  responseStream: ResponseStream,
  runtime: StreamingRuntime,
  setup: HandlerSetup,
): Promise<void> {
  if (!invocation.door?.streams) {
    const result = await runBuffered(invocation, setup);
    const json = JSON.stringify(result);
    if (json !== undefined) await write(responseStream, Buffer.from(json));
    await end(responseStream);
    return;
  }
  const rethrow = setup.rethrow ?? false;
  const controller = new AbortController();
  const gone = () => {
    if (!responseStream.writableFinished) controller.abort(new Error("the response stream closed early"));
  };
  responseStream.once("error", gone);
  responseStream.once("close", gone);
  let stream: ResponseStream | undefined;
  let wrote = false;
  let aborted: { reason: unknown } | undefined;
  const sink: ResponseSink = {
    signal: controller.signal,
    head(head) {
      // With rethrow, an app error before the prelude fails the invocation instead of sending a 500.
      if (rethrow && invocation.failure()) return;
      stream = runtime.HttpResponseStream.from(responseStream, toV2Head(head));
    },
    chunk(bytes) {
      if (!stream || stream.destroyed) return;
      wrote = true;
      return write(stream, Buffer.from(bytes)); // a copy: apps may reuse their buffers
    },
    async end() {
      if (!stream) return;
      // The prelude goes out with the first write: a body-less response still needs one to send it.
      if (!wrote) await write(stream, new Uint8Array(0));
      await end(stream);
    },
    abort(reason) {
      aborted ??= { reason };
    },
  };
  try {
    await serveInvocation(invocation, sink);
  } finally {
    responseStream.off("error", gone);
    responseStream.off("close", gone);
    await invocation.tasks.settle();
  }
  const failure = invocation.failure();
  if (failure) throw failure.error;
  if (aborted) throw new ResponseAbortedError(aborted.reason);
}
