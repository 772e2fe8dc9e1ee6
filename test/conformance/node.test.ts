/** The conformance table over real sockets: raw HTTP to `serve()` from tsgi/node. */
import { type ServerHandle, serve } from "../../adapters/node.ts";
import { createErrorStream } from "../../core/index.ts";
import { dispatch } from "./apps.ts";
import { rawRequest } from "./raw-http.ts";
import { runConformance } from "./run.ts";
import type { Driver } from "./types.ts";

let server: ServerHandle | undefined;
let errors = "";

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
  ]),
  async setup() {
    server = await serve(dispatch, { port: 0, errors: createErrorStream((line) => (errors += `${line}\n`)) });
  },
  async teardown() {
    await server?.close();
  },
  invoke: (_app, request) => rawRequest(server!.port, request),
  async takeErrors() {
    // Logging may trail the response by a tick (close() runs after the last byte went out).
    await new Promise((resolve) => setTimeout(resolve, 5));
    const taken = errors;
    errors = "";
    return taken;
  },
};

runConformance(driver);
