/**
 * The conformance table end to end through `wrangler dev` (workerd's own HTTP server) over raw
 * sockets: capabilities are what the Workers HTTP stack really carries.
 */
import { APP_HEADER } from "./apps.ts";
import { rawRequest } from "./raw-http.ts";
import { runConformance } from "./run.ts";
import type { Driver } from "./types.ts";
import { type WranglerDev, startWranglerDev } from "./wrangler-dev.ts";

let dev: WranglerDev | undefined;

const driver: Driver = {
  name: "wrangler dev",
  // Missing, imposed by Workers: dot-segments (request.url is normalized), repeated-headers (Headers
  // joins them), non-utf8-headers (workerd decodes header bytes as UTF-8), http10 (wrangler dev's
  // request.cf is a fixed stand-in that always says HTTP/1.1).
  capabilities: new Set(["raw-target", "chunked-request", "expect-continue", "abort", "excess-body"]),
  // Added to every request: by the Cloudflare edge, and by wrangler dev's stand-in for it.
  addedHeaders: ["cf-connecting-ip", "accept-encoding"],
  async setup() {
    dev = await startWranglerDev();
    // Warm up: wrangler source-maps the first stack trace it prints slowly, past takeErrors' wait.
    await rawRequest(dev.port, {
      method: "GET",
      target: "/",
      headers: [
        ["Host", "x"],
        [APP_HEADER, "throw-before"],
      ],
    });
    let output = "";
    for (let i = 0; i < 100 && !output.includes("secret-database-password"); i++)
      output += await dev.takeOutput();
  },
  async teardown() {
    await dev?.stop();
  },
  invoke: (_app, request) => rawRequest(dev!.port, request),
  // The Worker's console.error reaches wrangler's output through workerd a moment later.
  takeErrors: () => dev!.takeOutput(),
};

runConformance(driver);
