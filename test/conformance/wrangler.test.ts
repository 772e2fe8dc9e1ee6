/**
 * The conformance table end to end through `wrangler dev` (workerd's own HTTP server) over raw
 * sockets: capabilities are what the Workers HTTP stack really carries. Then what only a real
 * Workers HTTP stack shows: chunks arriving over time, and a Cron Trigger reaching the app.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_HEADER } from "./apps.ts";
import { rawRequest } from "./raw-http.ts";
import { runConformance } from "./run.ts";
import type { Driver, TestRequest } from "./types.ts";
import { type WranglerDev, startWranglerDev } from "./wrangler-dev.ts";

let dev: WranglerDev | undefined;
const get = (target: string, app: string): TestRequest => ({
  method: "GET",
  target,
  headers: [
    ["Host", "example.com"],
    [APP_HEADER, app],
  ],
});

beforeAll(async () => {
  dev = await startWranglerDev();
  // Warm up: wrangler source-maps the first stack trace it prints slowly, past takeErrors' wait.
  await rawRequest(dev.port, get("/", "throw-before"));
  let output = "";
  for (let i = 0; i < 100 && !output.includes("secret-database-password"); i++)
    output += await dev.takeOutput();
}, 90_000);
afterAll(async () => {
  await dev?.stop();
});

const driver: Driver = {
  name: "wrangler dev",
  // Missing, imposed by Workers: dot-segments (request.url is normalized), repeated-headers (Headers
  // joins them), non-utf8-headers (workerd decodes header bytes as UTF-8), http10 (wrangler dev's
  // request.cf is a fixed stand-in that always says HTTP/1.1).
  // Not "extension-methods": wrangler dev answers 501 ("Unrecognized request method").
  capabilities: new Set([
    "header-names",
    "raw-target",
    "encoded-path",
    "raw-query",
    "repeated-header-values",
    "set-cookie-list",
    "chunked-request",
    "expect-continue",
    "abort",
    "excess-body",
    "strict-host",
    "reserved-event-paths",
  ]),
  // Added to every request: by the Cloudflare edge, and by wrangler dev's stand-in for it.
  addedHeaders: ["cf-connecting-ip", "accept-encoding"],
  invoke: (_app, request) => rawRequest(dev!.port, request),
  // The Worker's console.error reaches wrangler's output through workerd a moment later.
  takeErrors: () => dev!.takeOutput(),
};

runConformance(driver);

describe("wrangler dev: Workers only", () => {
  it("a streamed response reaches the client chunk by chunk", async () => {
    const started = Date.now();
    const seen: Record<string, number> = {};
    let data = "";
    const response = await rawRequest(dev!.port, get("/", "stream"), {
      onBodyChunk: (chunk) => {
        data += chunk.toString("latin1");
        for (const part of ["one,", "two,", "three"])
          if (data.includes(part)) seen[part] ??= Date.now() - started;
      },
    });
    expect(new TextDecoder().decode(response.body)).toBe("one,two,three");
    // The app sleeps 30 ms after each chunk: buffered, all three would arrive at once.
    expect(seen["two,"]! - seen["one,"]!).toBeGreaterThanOrEqual(20);
    expect(seen.three! - seen["two,"]!).toBeGreaterThanOrEqual(20);
  });

  it("passes request.cf on as cloudflare.cf", async () => {
    const response = await rawRequest(dev!.port, get("/", "echo"));
    const echo = JSON.parse(new TextDecoder().decode(response.body)) as { keys: string[] };
    expect(echo.keys).toEqual(expect.arrayContaining(["cloudflare.cf", "cloudflare.env", "cloudflare.ctx"]));
  });

  it("a scheduled event reaches the app (wrangler's /__scheduled test endpoint)", async () => {
    await dev!.takeOutput();
    const response = await rawRequest(dev!.port, get("/__scheduled?cron=*/5+*+*+*+*", "echo"));
    expect(response.status).toBe(200);
    let output = "";
    for (let i = 0; i < 50 && !output.includes("wait_until ran"); i++) output += await dev!.takeOutput();
    expect(output).toContain(
      'tsgi-event cloudflare.scheduled POST /__tsgi/scheduled application/json {"source":"cloudflare.scheduled","cron":"*/5 * * * *","scheduledTime":',
    );
    expect(output).toContain("tsgi-event wait_until ran");
  });
});
