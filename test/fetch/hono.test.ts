/**
 * A real Hono app (examples/hono) through fromFetch on AWS Lambda: every front door through the
 * buffered handler, and the streaming handler with a response stream that drains slowly. Node and
 * workerd run the same stories in test/examples and test/workerd-examples.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  type LambdaContext,
  type StreamingRuntime,
  createHandler,
  createStreamingHandler,
} from "../../adapters/aws-lambda.ts";
import { fromFetch } from "../../adapters/fetch.ts";
import { app } from "../../examples/hono/app.ts";
import {
  fromResult,
  toAlbEvent,
  toEdgeEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toLatticeEvent,
  toRestEvent,
} from "../../scripts/lambda-events.ts";
import type { TestRequest, TestResponse } from "../conformance/types.ts";
import { checkStep, honoStories } from "../examples/stories.ts";

const context = { awsRequestId: "hono-req-1", functionName: "tsgi-hono" } as LambdaContext;
const handler = createHandler(fromFetch(app.fetch), { log: () => {} });

const FRONT_DOORS: Array<[string, (request: TestRequest) => unknown]> = [
  ["REST API (payload 1.0)", toRestEvent],
  ["HTTP API (payload 2.0)", toHttpApiEvent],
  ["Function URL", toFunctionUrlEvent],
  ["ALB multi-value", (r) => toAlbEvent(r, true)],
  ["ALB single-value", (r) => toAlbEvent(r, false)],
  ["VPC Lattice", toLatticeEvent],
  ["Lambda@Edge origin-request", (r) => toEdgeEvent(r, "origin-request")],
];

for (const [front, toEvent] of FRONT_DOORS) {
  describe(`hono through fromFetch on aws-lambda, ${front}`, () => {
    for (const step of honoStories) {
      // A single-value ALB response carries one Set-Cookie header: the second cannot be delivered.
      const cannot =
        (front === "ALB single-value" || front === "VPC Lattice") && (step.cookies?.length ?? 0) > 1;
      (cannot ? it.skip : it)(
        cannot ? `${step.name} (skipped: ${front} carries one Set-Cookie)` : step.name,
        async () => {
          checkStep(step, fromResult(await handler(toEvent(step.request), context), step.request.method));
        },
      );
    }
    it("Hono's c.env holds the event and the Lambda context, as with hono/aws-lambda", async () => {
      const request = {
        method: "GET",
        target: "/platform",
        headers: [["Host", "example.com"]],
      } as TestRequest;
      const result = fromResult(await handler(toEvent(request), context), "GET");
      expect(JSON.parse(new TextDecoder().decode(result.body))).toEqual({
        lambdaRequestId: "hono-req-1",
        lambdaEvent: true,
        greeting: null,
      });
    });
  });
}

/** Streams into a Writable that takes `delay` ms per write; records the prelude and each write. */
async function streamed(
  request: TestRequest,
  delay = 0,
): Promise<{ response: TestResponse; writes: number }> {
  const chunks: Buffer[] = [];
  let prelude: { statusCode: number; headers: Record<string, string>; cookies: string[] } | undefined;
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      setTimeout(callback, delay);
    },
  });
  const runtime: StreamingRuntime = {
    streamifyResponse: (h) => h,
    HttpResponseStream: {
      from: (target, head) => {
        prelude = head;
        return target;
      },
    },
  };
  const streaming = createStreamingHandler(fromFetch(app.fetch), { runtime, log: () => {} });
  await streaming(toFunctionUrlEvent(request), stream as never, context);
  const headers: Array<[string, string]> = Object.entries(prelude?.headers ?? {});
  for (const cookie of prelude?.cookies ?? []) headers.push(["set-cookie", cookie]);
  const body = new Uint8Array(Buffer.concat(chunks.filter((c) => c.byteLength > 0)));
  return {
    response: { status: prelude?.statusCode ?? 0, reason: "", headers, body, aborted: false },
    writes: chunks.filter((c) => c.byteLength > 0).length,
  };
}

describe("hono through fromFetch on aws-lambda, streaming (Function URL)", () => {
  for (const step of honoStories) {
    it(step.name, async () => {
      checkStep(step, (await streamed(step.request)).response);
    });
  }
  it("each hono/streaming write reaches the response stream as its own chunk, through a slow client", async () => {
    const { response, writes } = await streamed(
      { method: "GET", target: "/stream", headers: [["Host", "example.com"]] },
      20,
    );
    expect(new TextDecoder().decode(response.body)).toBe("one\ntwo\nthree\n");
    expect(writes).toBe(3);
  });
});
