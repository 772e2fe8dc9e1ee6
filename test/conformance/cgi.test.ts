/** The conformance table through a real web server: lighttpd with mod_cgi runs tsgi/cgi per request. */
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { CGI_EXTRA_KEYS } from "../../adapters/cgi.ts";
import { type Lighttpd, findLighttpd, startLighttpd } from "../cgi/lighttpd.ts";
import { rawRequest } from "./raw-http.ts";
import { runConformance } from "./run.ts";
import type { Driver } from "./types.ts";

const binary = findLighttpd();
let server: Lighttpd | undefined;
let seen = 0;

const driver: Driver = {
  name: "cgi (lighttpd)",
  // Not "strict-host": lighttpd answers an invalid Host 400 itself, before the script runs, so the
  // gateway's check (and its log line) is proven in test/cgi/cgi.test.ts.
  // Not "abort": lighttpd completes a response whose script died, unless it declared a
  // Content-Length (RFC 3875 gives a script no way to say "incomplete").
  // Not "extension-methods": lighttpd answers a method outside its list 501 itself.
  capabilities: new Set([
    "raw-target",
    "dot-segments",
    "non-utf8-headers",
    "encoded-path",
    "raw-query",
    "repeated-header-values",
    "set-cookie-list",
    "repeated-headers",
    "chunked-request",
    "expect-continue",
    "http10",
    "excess-body",
    "reserved-event-paths",
  ]),
  flags: { runOnce: true, multiprocess: true, multithread: false },
  environExtra: CGI_EXTRA_KEYS,
  async setup() {
    if (!binary) throw new Error("lighttpd is not installed (CI=true requires it; .ci/run installs it)");
    server = await startLighttpd(binary, fileURLToPath(new URL("../cgi/entry.ts", import.meta.url)));
  },
  teardown: () => server?.stop() ?? Promise.resolve(),
  // A CGI process per request: node's start-up is part of each response time.
  invoke: (_app, request) => rawRequest(server!.port, request, { timeout: 15_000 }),
  async takeErrors() {
    // The script's stderr reaches us through lighttpd's pipe, maybe a moment after the response.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const log = server?.log() ?? "";
    const taken = log.slice(seen);
    seen = log.length;
    return taken;
  },
};

if (binary || process.env.CI === "true") runConformance(driver);
else {
  describe("conformance: cgi (lighttpd)", () => {
    it.skip("skipped: lighttpd is not installed (apt-get install lighttpd; .ci/run does it)", () => {});
  });
}
