/**
 * A small Lambda Runtime API server (the part of Lambda that hands events to the runtime and takes
 * its answers), on 127.0.0.1, for running AWS's real runtime client against the adapter.
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 * @module
 */
import { Buffer } from "node:buffer";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";

/** What the runtime answered for one invocation. */
export type InvocationResult =
  | { type: "response"; body: string }
  | {
      type: "stream";
      prelude: { statusCode: number; headers?: Record<string, string>; cookies?: string[] };
      body: Buffer;
      trailers: Record<string, string>;
    }
  | { type: "error"; errorType: string; body: string };

interface Pending {
  id: string;
  event: unknown;
  onChunk: ((chunk: Buffer) => void) | undefined;
  resolve: (result: InvocationResult) => void;
}

export interface RuntimeApi {
  /** `host:port`, for AWS_LAMBDA_RUNTIME_API. */
  address: string;
  /** Hands `event` to the runtime; `onChunk` sees streamed body bytes as they arrive. */
  invoke(event: unknown, onChunk?: (chunk: Buffer) => void): Promise<InvocationResult>;
  /** Init errors the runtime reported. */
  initErrors: string[];
  close(): Promise<void>;
}

const PREFIX = "/2018-06-01/runtime/";

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

/** Reads a streamed response: a JSON prelude, 8 zero bytes, the body, then (maybe) error trailers. */
function readStream(req: IncomingMessage, pending: Pending): Promise<InvocationResult> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    let prelude: { statusCode: number } | undefined;
    const body: Buffer[] = [];
    const onBody = (chunk: Buffer) => {
      if (chunk.byteLength === 0) return;
      body.push(chunk);
      pending.onChunk?.(chunk);
    };
    req.on("data", (chunk: Buffer) => {
      if (prelude) return onBody(chunk);
      head = Buffer.concat([head, chunk]);
      // JSON holds no raw NUL byte, so the first one starts the delimiter.
      const at = head.indexOf(0);
      if (at === -1 || head.byteLength < at + 8) return;
      prelude = JSON.parse(head.subarray(0, at).toString("utf8")) as { statusCode: number };
      onBody(head.subarray(at + 8));
    });
    req.on("end", () => {
      const trailers = Object.fromEntries(
        Object.entries(req.trailers).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      resolve({ type: "stream", prelude: prelude ?? { statusCode: 0 }, body: Buffer.concat(body), trailers });
    });
    req.on("error", reject);
  });
}

/**
 * Starts the server; resolves once it listens.
 *
 * @example
 * ```ts
 * const api = await startRuntimeApi();
 * const result = await api.invoke(event);
 * ```
 */
export async function startRuntimeApi(): Promise<RuntimeApi> {
  const queue: Pending[] = [];
  const waiting: ServerResponse[] = [];
  const inFlight = new Map<string, Pending>();
  const initErrors: string[] = [];
  let count = 0;

  const deliver = () => {
    while (queue.length && waiting.length) {
      const pending = queue.shift()!;
      const res = waiting.shift()!;
      inFlight.set(pending.id, pending);
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Lambda-Runtime-Aws-Request-Id": pending.id,
        "Lambda-Runtime-Deadline-Ms": String(Date.now() + 30_000),
        "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:tsgi-e2e",
        "Lambda-Runtime-Trace-Id": `Root=1-00000000-${pending.id.padStart(24, "0")};Sampled=0`,
      });
      res.end(JSON.stringify(pending.event));
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? "";
      if (req.method === "GET" && url === `${PREFIX}invocation/next`) {
        waiting.push(res);
        // A runtime that was stopped leaves its long poll behind: forget it.
        res.once("close", () => {
          const at = waiting.indexOf(res);
          if (at !== -1) waiting.splice(at, 1);
        });
        deliver();
        return;
      }
      if (req.method === "POST" && url === `${PREFIX}init/error`) {
        initErrors.push((await readAll(req)).toString());
        res.writeHead(202).end();
        return;
      }
      const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      const pending = match ? inFlight.get(decodeURIComponent(match[1]!)) : undefined;
      if (!match || !pending) {
        res.writeHead(404).end();
        return;
      }
      inFlight.delete(pending.id);
      let result: InvocationResult;
      if (match[2] === "error") {
        const body = (await readAll(req)).toString();
        const header = req.headers["lambda-runtime-function-error-type"];
        const errorType =
          typeof header === "string"
            ? header
            : ((JSON.parse(body) as { errorType?: string }).errorType ?? "");
        result = { type: "error", errorType, body };
      } else if (req.headers["lambda-runtime-function-response-mode"] === "streaming") {
        result = await readStream(req, pending);
      } else result = { type: "response", body: (await readAll(req)).toString() };
      res.writeHead(202, { "Content-Type": "application/json" }).end('{"status":"OK"}');
      pending.resolve(result);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    address: `127.0.0.1:${port}`,
    initErrors,
    invoke(event, onChunk) {
      return new Promise((resolve) => {
        queue.push({ id: `e2e-${++count}`, event, onChunk, resolve });
        deliver();
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
