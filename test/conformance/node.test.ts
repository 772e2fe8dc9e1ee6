/** The conformance table over real sockets: raw HTTP to `serve()` from tsgi/node. */
import { type ServerHandle, serve } from "../../adapters/node.ts";
import { createErrorStream } from "../../core/index.ts";
import { dispatch } from "./apps.ts";
import { errorLog } from "../support/error-log.ts";
import { rawRequest } from "./raw-http.ts";
import { runConformance } from "./run.ts";
import type { Driver } from "./types.ts";

let server: ServerHandle | undefined;
const log = errorLog();

const driver: Driver = {
  name: "node",
  capabilities: new Set([
    "raw-target",
    "dot-segments",
    "asterisk-form",
    "non-utf8-headers",
    "repeated-headers",
    "chunked-request",
    "expect-continue",
    "http10",
    "abort",
    "excess-body",
    "encoded-path",
    "raw-query",
    "repeated-header-values",
    "set-cookie-list",
    "header-names",
    "raw-host",
    "strict-host",
    "absolute-form",
    "reserved-event-paths",
  ]),
  async setup() {
    server = await serve(dispatch, { port: 0, errors: createErrorStream(log.line) });
  },
  async teardown() {
    await server?.close();
  },
  invoke: (_app, request) => rawRequest(server!.port, request),
  takeErrors: () => log.take(),
};

runConformance(driver);
