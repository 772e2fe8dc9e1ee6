/**
 * The conformance table through Lambda: each request becomes each event kind, runs through the
 * buffered handler, and its result is read back as the client would see it.
 */
import { createHandler } from "../../adapters/aws-lambda.ts";
import { dispatch } from "./apps.ts";
import {
  fromResult,
  toAlbEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toRestEvent,
} from "../../scripts/lambda-events.ts";
import { runConformance } from "./run.ts";
import type { Capability, Driver, TestRequest } from "./types.ts";
import { errorLog } from "../support/error-log.ts";

const log = errorLog();
const handler = createHandler(dispatch, { log: log.line });

// "expect-continue": the front door answers the handshake; the event holds the whole body.
// No "abort": a buffered response cut off after its headers fails the invocation and the client gets
// a 502 from the front door, not a truncated 200 (test/aws-lambda/handler.test.ts checks that).
function lambdaDriver(
  name: string,
  toEvent: (r: TestRequest) => unknown,
  capabilities: Capability[],
): Driver {
  return {
    name: `aws-lambda ${name}`,
    capabilities: new Set(capabilities),
    async invoke(_app, request) {
      const result = await handler(toEvent(request), { awsRequestId: "conformance", functionName: "tsgi" });
      return fromResult(result, request.method);
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
runConformance(
  lambdaDriver("REST (payload 1.0)", toRestEvent, [...ALL, "repeated-headers", "encoded-path", "http10"]),
);
runConformance(lambdaDriver("HTTP API (payload 2.0)", toHttpApiEvent, [...ALL, "raw-query", "http10"]));
runConformance(
  lambdaDriver("Function URL", toFunctionUrlEvent, [...ALL, "raw-query", "encoded-path", "http10"]),
);
runConformance(
  lambdaDriver("ALB multi-value", (r) => toAlbEvent(r, true), [...ALL, "repeated-headers", "encoded-path"]),
);
runConformance(
  lambdaDriver("ALB single-value", (r) => toAlbEvent(r, false), [
    "encoded-path",
    "expect-continue",
    "header-names",
    "raw-host",
  ]),
);
