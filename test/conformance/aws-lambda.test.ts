/**
 * The conformance table through Lambda: each request becomes each front door's event, runs through
 * the buffered handler (and the streaming one where the front door streams), and its result is read
 * back as the client would see it.
 */
import { Writable } from "node:stream";
import { type StreamingRuntime, createHandler, createStreamingHandler } from "../../adapters/aws-lambda.ts";
import * as httpApi from "../../adapters/aws-lambda/http-api.ts";
import { dispatch } from "./apps.ts";
import {
  fromResult,
  toAlbEvent,
  toEdgeEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toLatticeEvent,
  toRestEvent,
} from "../../scripts/lambda-events.ts";
import { runConformance } from "./run.ts";
import type { Capability, Driver, TestRequest, TestResponse } from "./types.ts";
import { errorLog } from "../support/error-log.ts";

const log = errorLog();
// As Lambda's own context: the invocation's deadline (30 s away) bounds the app timeout.
const context = {
  awsRequestId: "conformance",
  functionName: "tsgi",
  getRemainingTimeInMillis: () => 30_000,
};
/** The handlers of an entry: tsgi/aws-lambda (every front door), or tsgi/aws-lambda/http-api. */
type Entry = { createHandler: typeof createHandler; createStreamingHandler: typeof createStreamingHandler };
const EVERY_DOOR: Entry = { createHandler, createStreamingHandler };
const buffered = new Map<Entry, ReturnType<typeof createHandler>>([
  [EVERY_DOOR, createHandler(dispatch, { log: log.line })],
  [httpApi, httpApi.createHandler(dispatch, { log: log.line })],
]);

/** The streaming handler onto a collecting stream, read back as a Function URL would send it. */
async function streamed(event: unknown, entry: Entry): Promise<TestResponse> {
  const chunks: Buffer[] = [];
  let prelude: { statusCode: number; headers: Record<string, string>; cookies: string[] } | undefined;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const runtime: StreamingRuntime = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: { from: (target, head) => ((prelude = head), target) },
  };
  const handler = entry.createStreamingHandler(dispatch, { log: log.line, runtime });
  const failed = await handler(event, stream as never, context).then(
    () => false,
    () => true,
  );
  // A failure before the prelude is the front door's 502; after it, the client sees the stream cut off.
  if (!prelude)
    return { status: 502, reason: "Bad Gateway", headers: [], body: new Uint8Array(0), aborted: false };
  const headers: Array<[string, string]> = Object.entries(prelude.headers);
  for (const cookie of prelude.cookies) headers.push(["set-cookie", cookie]);
  const body = new Uint8Array(Buffer.concat(chunks));
  return { status: prelude.statusCode, reason: "", headers, body, aborted: failed };
}

// "expect-continue": the front door answers the handshake; the event holds the whole body.
// No "abort" buffered: a response cut off after its headers fails the invocation and the client gets
// a 502 from the front door, not a truncated 200 (test/aws-lambda/handler.test.ts checks that).
function lambdaDriver(
  name: string,
  toEvent: (r: TestRequest) => unknown,
  capabilities: Capability[],
  mode: "buffered" | "streaming" = "buffered",
  addedHeaders: string[] = [],
  entry: Entry = EVERY_DOOR,
): Driver {
  return {
    name: `aws-lambda${entry === httpApi ? "/http-api" : ""} ${name} (${mode})`,
    // Every front door reserves the event paths (DEFAULT_EVENT_PATHS, and eventPath when set).
    capabilities: new Set([...capabilities, "reserved-event-paths"]),
    addedHeaders,
    async invoke(_app, request) {
      if (mode === "streaming") return streamed(toEvent(request), entry);
      return fromResult(await buffered.get(entry)!(toEvent(request), context), request.method);
    },
    takeErrors: () => log.take(),
  };
}

const ALL = [
  "repeated-header-values",
  "set-cookie-list",
  "expect-continue",
  "header-names",
  "raw-host",
] as const;
const REST = [...ALL, "repeated-headers", "encoded-path", "http10"] as const;
const URL = [...ALL, "raw-query", "encoded-path", "http10"] as const;
// ALB and VPC Lattice append the client to X-Forwarded-For.
const XFF = ["x-forwarded-for"];
runConformance(lambdaDriver("REST (payload 1.0)", toRestEvent, [...REST]));
runConformance(lambdaDriver("REST (payload 1.0)", toRestEvent, [...REST, "abort"], "streaming"));
runConformance(lambdaDriver("HTTP API (payload 2.0)", toHttpApiEvent, [...ALL, "raw-query", "http10"]));
runConformance(lambdaDriver("Function URL", toFunctionUrlEvent, [...URL]));
runConformance(lambdaDriver("Function URL", toFunctionUrlEvent, [...URL, "abort"], "streaming"));
// The payload 2.0 entry: the same doors through its own detection.
const V2 = [...ALL, "raw-query", "http10"] as const;
runConformance(lambdaDriver("HTTP API (payload 2.0)", toHttpApiEvent, [...V2], "buffered", [], httpApi));
runConformance(lambdaDriver("Function URL", toFunctionUrlEvent, [...URL], "buffered", [], httpApi));
runConformance(lambdaDriver("Function URL", toFunctionUrlEvent, [...URL, "abort"], "streaming", [], httpApi));
runConformance(
  lambdaDriver(
    "ALB multi-value",
    (r) => toAlbEvent(r, true),
    [...ALL, "repeated-headers", "encoded-path"],
    "buffered",
    XFF,
  ),
);
runConformance(
  lambdaDriver(
    "ALB single-value",
    (r) => toAlbEvent(r, false),
    ["encoded-path", "expect-continue", "header-names", "raw-host"],
    "buffered",
    XFF,
  ),
);
runConformance(
  lambdaDriver(
    "VPC Lattice",
    toLatticeEvent,
    ["repeated-header-values", "repeated-headers", "encoded-path", "expect-continue", "raw-host"],
    "buffered",
    XFF,
  ),
);
for (const type of ["viewer-request", "origin-request"] as const) {
  runConformance(
    lambdaDriver(`Lambda@Edge ${type}`, (r) => toEdgeEvent(r, type), [
      ...ALL,
      "repeated-headers",
      "raw-query",
      "encoded-path",
    ]),
  );
}
