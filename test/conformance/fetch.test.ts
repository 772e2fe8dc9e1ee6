/** The conformance table through tsgi/fetch in Node: Requests built in-process, Responses read back. */
import { createFetchHandler } from "../../adapters/fetch.ts";
import { createErrorStream } from "../../core/index.ts";
import { dispatch } from "./apps.ts";
import { fromFetchResponse, toFetchRequest } from "./fetch-client.ts";
import { runConformance } from "./run.ts";
import type { Driver } from "./types.ts";
import { errorLog } from "../support/error-log.ts";

const log = errorLog();
const handler = createFetchHandler(dispatch, {
  errors: createErrorStream(log.line),
  // Fetch carries no peer address; a runtime passes one in (Deno's info.remoteAddr, Bun's requestIP).
  getRemoteAddr: () => "127.0.0.1",
});

const driver: Driver = {
  name: "fetch (Node)",
  // Fetch's Request normalizes the URL and joins repeated headers; a body is exactly its bytes.
  capabilities: new Set([
    "header-names",
    "raw-host",
    "raw-target",
    "encoded-path",
    "raw-query",
    "repeated-header-values",
    "set-cookie-list",
    "non-utf8-headers",
    "chunked-request",
    "abort",
    "strict-host",
    "extension-methods",
    "reserved-event-paths",
  ]),
  teardown: () => handler.settle(),
  invoke: async (_app, request) => fromFetchResponse(await handler(toFetchRequest(request))),
  takeErrors: () => log.take(),
};

runConformance(driver);
