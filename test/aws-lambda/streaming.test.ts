/**
 * The streaming handler's backpressure, with a real Node Writable as the response stream: a slow
 * client (a stream that drains late) holds the app back instead of letting chunks pile up.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type StreamingRuntime, createStreamingHandler } from "../../adapters/aws-lambda.ts";
import type { App } from "../../core/index.ts";
import { toFunctionUrlEvent } from "../../scripts/lambda-events.ts";

const CHUNK = 64;
const COUNT = 6;

describe("aws-lambda: streaming backpressure", () => {
  it("does not ask the app for the next chunk before the stream drained", async () => {
    const events: string[] = [];
    let written = 0;
    // A response stream that takes 20 ms per write and buffers at most 16 bytes: every chunk
    // written makes write() return false until it has drained.
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        setTimeout(() => {
          written += chunk.byteLength;
          events.push(`written ${written / CHUNK}`);
          callback();
        }, 20);
      },
    });
    const prelude: unknown[] = [];
    const runtime: StreamingRuntime = {
      streamifyResponse: (handler) => handler,
      HttpResponseStream: {
        from: (target, head) => {
          prelude.push(head);
          return target;
        },
      },
    };
    const app: App = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "application/octet-stream"]]);
      return (function* () {
        for (let i = 1; i <= COUNT; i++) {
          events.push(`yield ${i}`);
          yield new Uint8Array(CHUNK).fill(i);
        }
      })();
    };
    const handler = createStreamingHandler(app, { runtime });
    const event = toFunctionUrlEvent({ method: "GET", target: "/", headers: [["Host", "example.com"]] });
    await handler(event, stream as never, { awsRequestId: "backpressure", functionName: "tsgi" } as never);

    expect(prelude).toHaveLength(1);
    expect(written).toBe(CHUNK * COUNT);
    // When the app is asked for chunk i, chunk i-1 has already left the stream's buffer.
    for (let i = 2; i <= COUNT; i++) {
      expect(events.indexOf(`written ${i - 1}`), events.join(", ")).toBeLessThan(
        events.indexOf(`yield ${i}`),
      );
    }
  });
});
