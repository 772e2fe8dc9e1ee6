/**
 * `npm run dev:lambda -- [example] [--v1 | --door alb|lattice|edge] [--stream]`: builds the example's Lambda bundle (what
 * `npm run build` uploads) and serves it on 127.0.0.1 ($PORT, default 3000), offline. Each HTTP
 * request becomes the event an AWS front door would send (API Gateway HTTP API payload 2.0 by
 * default, REST API payload 1.0 with --v1), the bundle's handler runs, and its result goes back as
 * the HTTP response. With --stream, the bundle's `streaming` handler runs on a Function URL event
 * (a REST event with --v1) and its chunks reach the client as they come, through the local
 * `awslambda` stand-in of scripts/lambda-runtime.ts.
 * @module
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { logWhenDone } from "../adapters/node/access-log.ts";
import type { LambdaHandler, StreamingHandler } from "../adapters/aws-lambda.ts";
import { EXAMPLES, buildExample } from "../esbuild.config.mjs";
import {
  type WireRequest,
  fromResult,
  toAlbEvent,
  toEdgeEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toLatticeEvent,
  toRestEvent,
} from "./lambda-events.ts";
import { installLocalRuntime } from "./lambda-runtime.ts";
import { portFromEnv } from "../examples/shared/port.ts";

const { values, positionals } = parseArgs({
  options: {
    v1: { type: "boolean" },
    v2: { type: "boolean" },
    stream: { type: "boolean" },
    door: { type: "string" },
    "no-access-log": { type: "boolean" },
  },
  allowPositionals: true,
});
const example = positionals[0] ?? process.env.EXAMPLE ?? "hello";
// --door picks any other front door the buffered handler serves.
const DOORS: Record<string, [string, (request: WireRequest) => unknown]> = {
  alb: ["ALB (multi-value headers)", (r) => toAlbEvent(r, true)],
  lattice: ["VPC Lattice (v2)", toLatticeEvent],
  edge: ["CloudFront Lambda@Edge (origin-request)", (r) => toEdgeEvent(r, "origin-request")],
};
const door = values.door === undefined ? undefined : DOORS[values.door];
if (
  !EXAMPLES.includes(example) ||
  (values.v1 && values.v2) ||
  (values.door !== undefined && (!door || values.stream))
) {
  console.error(
    `usage: npm run dev:lambda -- [${EXAMPLES.join("|")}] [--v1|--v2|--door ${Object.keys(DOORS).join("|")}] [--stream] [--no-access-log]`,
  );
  process.exit(2);
}
const toEvent = door
  ? door[1]
  : values.v1
    ? toRestEvent
    : values.stream
      ? toFunctionUrlEvent
      : toHttpApiEvent;
const front = door
  ? door[0]
  : values.v1
    ? "API Gateway REST API (payload 1.0)"
    : values.stream
      ? "Function URL (payload 2.0)"
      : "API Gateway HTTP API (payload 2.0)";

const port = portFromEnv("PORT", 3000);
const [bundle] = await buildExample(example, "lambda");
// Lambda's runtime defines `awslambda` before it loads the handler module: so does this server.
installLocalRuntime();
const handlers = (await import(pathToFileURL(resolve(bundle!.file)).href)) as {
  handler: LambdaHandler;
  streaming: StreamingHandler;
};

async function readRequest(req: IncomingMessage): Promise<WireRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Array<[string, string]> = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const body = Buffer.concat(chunks);
  return {
    method: req.method ?? "GET",
    target: req.url ?? "/",
    headers,
    ...(body.byteLength ? { body } : {}),
    protocol: req.httpVersion === "1.0" ? "HTTP/1.0" : "HTTP/1.1",
  };
}

async function invoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = await readRequest(req);
  const context = {
    awsRequestId: randomUUID(),
    functionName: `tsgi-${example}`,
    getRemainingTimeInMillis: () => 30_000,
  };
  if (values.stream) {
    await handlers.streaming(toEvent(request), res, context);
    return;
  }
  const response = fromResult(await handlers.handler(toEvent(request), context), request.method);
  res.writeHead(response.status, response.reason, response.headers.flat());
  res.end(response.body);
}

const accessLog = !values["no-access-log"];
const server = createServer((req, res) => {
  if (accessLog) logWhenDone(req, res, (line) => console.log(line));
  invoke(req, res).catch((error: unknown) => {
    // A failed invocation: the front door answers 502 (before the head) or cuts the stream off.
    console.error(error);
    if (res.headersSent) res.destroy();
    else
      res.writeHead(502, { "Content-Type": "application/json" }).end('{"message":"Internal Server Error"}\n');
  });
});
server.once("error", (error: Error & { code?: string }) => {
  const reason =
    error.code === "EADDRINUSE"
      ? `port ${port} on 127.0.0.1 is already in use; stop the other server or set PORT`
      : error.message;
  console.error(`tsgi dev:lambda: ${reason}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => {
  const mode = values.stream ? "streaming handler" : "buffered handler";
  console.log(`tsgi dev:lambda: ${example} (${bundle!.file}, ${mode}, ${front} events)`);
  console.log(`listening on http://127.0.0.1:${port}/`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => server.close(() => process.exit(0)).closeAllConnections());
