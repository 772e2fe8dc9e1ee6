/**
 * tsgi/cloudflare inside workerd: the parts the conformance table does not reach (events, the
 * cloudflare.* keys, wait_until, backpressure and cancel on workerd's own streams).
 */
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CloudflareEnviron, createWorker } from "../../adapters/cloudflare.ts";
import type { App } from "../../core/index.ts";
import worker from "./conformance-worker.ts";

const text = (s: string) => new TextEncoder().encode(s);
let logged = "";
const consoleError = console.error;
beforeEach(() => {
  logged = "";
  console.error = (...args: unknown[]) => {
    logged += `${args.map(String).join(" ")}\n`;
  };
});
afterEach(() => {
  console.error = consoleError;
});

const protocolAndColo: App<CloudflareEnviron> = (environ, startResponse) => {
  const cf = environ["cloudflare.cf"];
  startResponse("200 OK", []);
  return [text(`${environ.SERVER_PROTOCOL} ${cf?.colo}`)];
};

const excInfoBeforeBody: App = (_environ, startResponse) => {
  startResponse("200 OK", []);
  return (function* () {
    yield new Uint8Array(0);
    startResponse("503 Service Unavailable", [["Retry-After", "5"]], new Error("late"));
    yield text("busy");
  })();
};

describe("events", () => {
  it("a scheduled event reaches the app as a POST of its JSON, and wait_until is awaited", async () => {
    const ctx = createExecutionContext();
    const controller = createScheduledController({ cron: "*/5 * * * *", scheduledTime: 1_700_000_000_000 });
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(logged).toContain(
      'tsgi-event cloudflare.scheduled POST /__tsgi/scheduled application/json {"source":"cloudflare.scheduled","cron":"*/5 * * * *","scheduledTime":1700000000000}',
    );
    expect(logged).toContain("tsgi-event wait_until ran");
  });

  it("a queue batch reaches the app; bytes bodies as base64; a 2xx acks it", async () => {
    const ctx = createExecutionContext();
    const batch = createMessageBatch("jobs", [
      { id: "m1", timestamp: 1000, attempts: 1, body: { job: 1 } },
      { id: "m2", timestamp: 2000, attempts: 2, body: text("hi").buffer },
    ]);
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.outcome).toBe("ok");
    expect(result.retryBatch.retry).toBe(false);
    expect(logged).toContain(
      '{"source":"cloudflare.queue","queue":"jobs","messages":[{"id":"m1","timestamp":1000,"attempts":1,"body":{"job":1}},{"id":"m2","timestamp":2000,"attempts":2,"body":"aGk=","bodyEncoding":"base64"}]}',
    );
  });

  it("an app answering an event with a non-2xx fails the handler (the batch is retried)", async () => {
    const batch = createMessageBatch("jobs", [{ id: "m1", timestamp: 0, attempts: 1, body: "fail" }]);
    await expect(worker.queue(batch, env, createExecutionContext())).rejects.toMatchObject({
      code: "TSGI_EVENT_FAILED",
      status: 503,
    });
  });

  it.each(["/__tsgi/scheduled", "/__tsgi/%73cheduled", "/__TSGI/queue/", "/__tsgi%2Fqueue"])(
    "an HTTP request to %s is refused: a client cannot pose as the cron",
    async (path) => {
      const response = await exports.default.fetch(
        new Request(`http://example.com${path}`, { method: "POST", body: "{}" }),
      );
      expect(response.status).toBe(404);
      await response.arrayBuffer();
      expect(logged).not.toContain("tsgi-event");
      expect(logged).toContain("an HTTP request to an event path");
    },
  );
});

describe("environ on Workers", () => {
  it("holds cloudflare.env, cloudflare.ctx and REMOTE_ADDR from CF-Connecting-IP", async () => {
    const response = await exports.default.fetch(
      new Request("https://example.com/x", { headers: { "CF-Connecting-IP": "203.0.113.9" } }),
    );
    const echo = (await response.json()) as { environ: Record<string, unknown>; keys: string[] };
    expect(echo.environ.REMOTE_ADDR).toBe("203.0.113.9");
    expect(echo.environ["tsgi.url_scheme"]).toBe("https");
    expect(echo.environ.SERVER_PORT).toBe("443");
    expect(echo.environ["tsgi.multiprocess"]).toBe(true);
    expect(echo.environ["tsgi.multithread"]).toBe(true);
    expect(echo.keys).toEqual(expect.arrayContaining(["cloudflare.env", "cloudflare.ctx"]));
  });

  it("takes SERVER_PROTOCOL from cf.httpProtocol and passes request.cf on as cloudflare.cf", async () => {
    const request = new Request("https://example.com/", {
      cf: { httpProtocol: "HTTP/2", colo: "AMS" },
    } as RequestInit);
    const response = await createWorker(protocolAndColo).fetch(request, env, createExecutionContext());
    expect(await response.text()).toBe("HTTP/2 AMS");
  });

  it("tsgi.wait_until never throws and hands its task to ctx.waitUntil", async () => {
    let ran = false;
    const app: App = (environ, startResponse) => {
      environ["tsgi.wait_until"](new Promise((resolve) => setTimeout(resolve, 20)).then(() => (ran = true)));
      environ["tsgi.wait_until"](Promise.reject(new Error("background failure")));
      environ["tsgi.wait_until"]("not a promise");
      startResponse("200 OK", []);
      return [text("ok")];
    };
    const ctx = createExecutionContext();
    const response = await createWorker(app).fetch(new Request("http://example.com/"), env, ctx);
    expect(await response.text()).toBe("ok");
    await waitOnExecutionContext(ctx);
    expect(ran).toBe(true);
    expect(logged).toContain("a tsgi.wait_until task failed");
  });
});

describe("streaming on workerd's streams", () => {
  it("pulls the app only as the client reads, and closes it once when the client goes away", async () => {
    let produced = 0;
    let closed = 0;
    const app: App = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return Object.assign(
        (function* () {
          for (;;) {
            produced++;
            yield text(`chunk ${produced}\n`);
          }
        })(),
        { close: () => void closed++ },
      );
    };
    const ctx = createExecutionContext();
    const response = await createWorker(app).fetch(new Request("http://example.com/"), env, ctx);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("chunk 1\n");
    await new Promise((resolve) => setTimeout(resolve, 20));
    // One chunk read: the app was not iterated ahead of the client (at most the next chunk waits).
    expect(produced).toBeLessThanOrEqual(2);
    await reader.cancel();
    await waitOnExecutionContext(ctx);
    expect(closed).toBe(1);
  });

  it("keeps the status an app sets through excInfo before its first non-empty chunk", async () => {
    const response = await createWorker(excInfoBeforeBody).fetch(
      new Request("http://example.com/"),
      env,
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.text()).toBe("busy");
  });
});

describe("the app timeout on Workers", () => {
  const hung: App = () => new Promise(() => {});
  it("a hung app's request is answered 504, logged", async () => {
    const timed = createWorker(hung, { appTimeout: 50 });
    const ctx = createExecutionContext();
    const response = await timed.fetch(new Request("https://example.com/hung"), env, ctx);
    expect(response.status).toBe(504);
    await response.arrayBuffer();
    expect(logged).toMatch(/GET "\/hung": the app did not answer within 50 ms \(appTimeout\); answered 504/);
  });

  it("a hung app fails its Cron Trigger with EventFailedError 504 (Cloudflare records it)", async () => {
    const timed = createWorker(hung, { appTimeout: 50 });
    const controller = createScheduledController({ scheduledTime: 1700000000000, cron: "* * * * *" });
    await expect(timed.scheduled(controller, env, createExecutionContext())).rejects.toMatchObject({
      code: "TSGI_EVENT_FAILED",
      source: "cloudflare.scheduled",
      status: 504,
    });
  });
});
