/**
 * End to end inside AWS's own Node.js runtime client (aws-lambda-ric, what Lambda runs), fed by the
 * Runtime API server of runtime-api.ts on 127.0.0.1: the buffered handler and the streaming one.
 * The client is built into .cache/ric by test/global-setup.ts (it compiles native code, so it is not a dependency).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toFunctionUrlEvent } from "../../scripts/lambda-events.ts";
import type { TestRequest } from "../conformance/types.ts";
import { type InvocationResult, type RuntimeApi, startRuntimeApi } from "./runtime-api.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const RIC = resolve(HERE, "../../.cache/ric/node_modules/aws-lambda-ric");
const available = existsSync(join(RIC, "index.mjs")) && existsSync(join(RIC, "rapid-client.node"));
const inCi = Boolean(process.env.CI) && process.env.CI !== "false";

const get = (target: string, app = "echo", method = "GET"): TestRequest => ({
  method,
  target,
  headers: [
    ["Host", "example.com"],
    ["X-Tsgi-App", app],
  ],
});

interface Ric {
  api: RuntimeApi;
  child: ChildProcess;
  output: () => string;
}

/**
 * Starts the runtime client on `handler` against a Runtime API server of its own: a client stopped
 * before it (SIGKILL) may leave its long poll for the next invocation open until the server reads
 * its end, and an invocation handed to that poll would be lost.
 */
async function startRic(handler: string): Promise<Ric> {
  const api = await startRuntimeApi();
  let output = "";
  const child = spawn(process.execPath, [join(RIC, "index.mjs")], {
    env: {
      PATH: process.env.PATH ?? "",
      AWS_LAMBDA_RUNTIME_API: api.address,
      _HANDLER: handler,
      LAMBDA_TASK_ROOT: join(HERE, "ric-task"),
      AWS_LAMBDA_FUNCTION_NAME: "tsgi-e2e",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/tsgi-e2e",
      AWS_LAMBDA_LOG_STREAM_NAME: "e2e",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { api, child, output: () => output };
}

async function stopRic(ric: Ric | undefined): Promise<void> {
  await stop(ric?.child);
  await ric?.api.close();
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGKILL");
  });
}

if (!available && inCi) {
  describe("aws-lambda end to end in aws-lambda-ric", () => {
    it("has the runtime client installed (test/global-setup.ts builds it where the compilers are)", () => {
      expect.fail(
        `aws-lambda-ric is not installed in ${RIC}: test/global-setup.ts builds it; .ci/run installs the compilers`,
      );
    });
  });
} else if (!available) {
  describe.skip("aws-lambda end to end in aws-lambda-ric (skipped: aws-lambda-ric not built: this machine lacks autoconf, automake, libtool, cmake, make or g++)", () => {
    it("runs the handlers inside the runtime client", () => {});
  });
} else {
  // A generous timeout: each group's first call waits for a fresh runtime client to start and poll,
  // which takes seconds on two loaded cores.
  describe("aws-lambda end to end in aws-lambda-ric", { timeout: 60_000 }, () => {
    let buffered: Ric | undefined;
    let streaming: Ric | undefined;
    const invoke = async (which: Ric, request: TestRequest, onChunk?: (c: Buffer) => void) => {
      const result = await which.api.invoke(toFunctionUrlEvent(request), onChunk);
      if (result.type === "error" && !result.errorType) throw new Error(`runtime failed:\n${which.output()}`);
      return result;
    };

    afterAll(() => Promise.all([stopRic(buffered), stopRic(streaming)]));

    // Each group starts its own runtime client (and Runtime API server) and stops it after.
    describe("buffered handler", () => {
      let response: Extract<InvocationResult, { type: "response" }>;
      beforeAll(async () => {
        buffered = await startRic("index.handler");
      });
      afterAll(() => stopRic(buffered));

      it("answers an HTTP request", async () => {
        const result = await invoke(buffered!, get("/hello?x=1"));
        expect(result.type, buffered!.output()).toBe("response");
        response = result as typeof response;
        const body = JSON.parse(response.body) as { statusCode: number; body: string };
        expect(body.statusCode).toBe(200);
        const echo = JSON.parse(body.body) as { environ: Record<string, unknown> };
        expect(echo.environ).toMatchObject({
          PATH_INFO: "/hello",
          QUERY_STRING: "x=1",
          REMOTE_ADDR: "127.0.0.1",
          "aws.event_kind": "function-url",
          "tsgi.multithread": false,
        });
        expect(String(echo.environ["aws.request_id"])).toMatch(/^e2e-\d+$/);
      });

      it("sends two cookies unmerged", async () => {
        const result = await invoke(buffered!, get("/", "cookies"));
        const body = JSON.parse((result as typeof response).body) as { cookies: string[] };
        expect(body.cookies).toEqual(["a=1; Path=/; HttpOnly", "b=2, with comma; Path=/"]);
      });

      it("fails the invocation for a response cut off after its headers", async () => {
        const result = await invoke(buffered!, get("/", "throw-during"));
        expect(result).toMatchObject({ type: "error", errorType: "ResponseAbortedError" });
      });
    });

    describe("streaming handler", () => {
      beforeAll(async () => {
        streaming = await startRic("index.streaming");
      });
      afterAll(() => stopRic(streaming));

      it("sends the prelude, then the first chunk before the app produced its last one", async () => {
        const arrivals: Array<{ at: number; text: string }> = [];
        const result = await invoke(streaming!, get("/slow"), (chunk) =>
          arrivals.push({ at: Date.now(), text: chunk.toString() }),
        );
        expect(result.type, streaming!.output()).toBe("stream");
        const stream = result as Extract<InvocationResult, { type: "stream" }>;
        expect(stream.prelude).toEqual({
          statusCode: 200,
          headers: { "Content-Type": "text/plain" },
          cookies: ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
        });
        expect(stream.trailers["lambda-runtime-function-error-type"]).toBeUndefined();
        const text = stream.body.toString();
        expect(text).toMatch(/^first\nlast \d+\n$/);
        const lastProducedAt = Number(/last (\d+)/.exec(text)![1]);
        expect(arrivals[0]!.text).toBe("first\n");
        expect(arrivals[0]!.at).toBeLessThan(lastProducedAt);
      });

      it("completes a body-less response", async () => {
        const result = await invoke(streaming!, get("/?204", "status"));
        expect(result).toMatchObject({ type: "stream", prelude: { statusCode: 204 }, trailers: {} });
        expect((result as Extract<InvocationResult, { type: "stream" }>).body.byteLength).toBe(0);
      });

      it("streams all 256 byte values", async () => {
        const body = Uint8Array.from({ length: 256 }, (_, i) => i);
        const request: TestRequest = {
          method: "POST",
          target: "/",
          headers: [...get("/", "bytes").headers, ["Content-Length", "256"]],
          body,
        };
        const result = await invoke(streaming!, request);
        expect(
          Buffer.from((result as Extract<InvocationResult, { type: "stream" }>).body).equals(
            Buffer.from(body),
          ),
        ).toBe(true);
      });

      it("aborts the stream (error trailers) instead of appending text after the prelude", async () => {
        const result = await invoke(streaming!, get("/", "throw-during"));
        expect(result).toMatchObject({
          type: "stream",
          prelude: { statusCode: 200 },
          trailers: { "lambda-runtime-function-error-type": "ResponseAbortedError" },
        });
        expect((result as Extract<InvocationResult, { type: "stream" }>).body.toString()).toBe("first,");
      });
    });
  });
}
