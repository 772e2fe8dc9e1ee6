/**
 * The conformance table through `createFetchHandler(fromFetch(h))`, where `h` is the Fetch handler
 * of fetch.test.ts: wrapping a Fetch handler in fromFetch and serving it again must change nothing a
 * Fetch handler can see, so the driver has the Fetch driver's capabilities.
 */
import { createFetchHandler, fromFetch } from "../../adapters/fetch.ts";
import { createErrorStream } from "../../core/index.ts";
import { dispatch } from "./apps.ts";
import { FETCH_CAPABILITIES, fromFetchResponse, toFetchRequest } from "./fetch-client.ts";
import { runConformance } from "./run.ts";
import type { Driver } from "./types.ts";
import { errorLog } from "../support/error-log.ts";

const log = errorLog();
const options = { errors: createErrorStream(log.line), getRemoteAddr: () => "127.0.0.1" };
const inner = createFetchHandler(dispatch, options);
const handler = createFetchHandler(fromFetch(inner), options);

const driver: Driver = {
  name: "fetch(fromFetch(fetch)) (Node)",
  capabilities: FETCH_CAPABILITIES,
  teardown: async () => {
    await handler.settle();
    await inner.settle();
  },
  invoke: async (_app, request) => fromFetchResponse(await handler(toFetchRequest(request))),
  takeErrors: () => log.take(),
};

runConformance(driver);
