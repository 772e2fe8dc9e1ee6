/**
 * Timeouts over real sockets: serve()'s header and request timeouts (a slow client gets a 408), and
 * the core's app timeout on Node, Fetch and CGI (504 before the headers, a cut-off after; logged;
 * the body closed once).
 */
import { connect } from "node:net";
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runCgi } from "../../adapters/cgi.ts";
import { createFetchHandler } from "../../adapters/fetch.ts";
import { type ServerHandle, serve } from "../../adapters/node.ts";
import { serverTimeouts } from "../../adapters/node/timeouts.ts";
import { type App, type Body, createErrorStream } from "../../core/index.ts";
import { rawRequest } from "../conformance/raw-http.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (s: string) => new TextEncoder().encode(s);
let log = "";
const errors = createErrorStream((line) => (log += `${line}\n`));
let handles: ServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.map((h) => h.close()));
  handles = [];
  log = "";
});
async function start(app: App, options = {}) {
  const handle = await serve(app, { port: 0, errors, shutdownTimeout: 1000, ...options });
  handles.push(handle);
  return handle;
}

/** Writes `head`, then `body` a byte every `gap` ms; resolves with what came back and when. */
function trickle(
  port: number,
  head: string,
  body: string,
  gap: number,
): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    let timer: ReturnType<typeof setInterval> | undefined;
    socket.on("connect", () => {
      socket.write(head);
      let i = 0;
      timer = setInterval(() => {
        if (i < body.length && socket.writable) socket.write(body[i++]!);
      }, gap);
    });
    socket.on("data", (d: Buffer) => (reply += d.toString("latin1")));
    const done = () => {
      clearInterval(timer);
      resolve({ reply, ms: Date.now() - started });
    };
    socket.on("close", done);
    socket.on("error", done);
  });
}

/** A body that counts its close() and iterator return(). */
function counted(chunks: AsyncIterable<Uint8Array> | Uint8Array[], counts: { close: number }): Body {
  return Object.assign(chunks, { close: () => void counts.close++ });
}

describe("serve() request timeouts", () => {
  it("has defaults of 20 s for the head and 120 s for the whole request, checked every second", () => {
    expect(serverTimeouts({})).toEqual({
      headersTimeout: 20_000,
      requestTimeout: 120_000,
      connectionsCheckingInterval: 1000,
    });
    expect(serverTimeouts({ headersTimeout: 5000, requestTimeout: 2000 }).headersTimeout).toBe(2000);
  });

  it("a request head sent too slowly gets 408 at headersTimeout, logged", async () => {
    const server = await start(() => [], { headersTimeout: 300, requestTimeout: 5000 });
    const { reply, ms } = await trickle(
      server.port,
      "GET / HTTP/1.1\r\n",
      "Host: a.test\r\nX-Slow: 1234567890",
      100,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(ms).toBeLessThan(2000);
    expect(log).toMatch(/request timed out from 127\.0\.0\.1:\d+: ERR_HTTP_REQUEST_TIMEOUT; answered 408/);
  });

  it("a body sent a byte at a time is cut off with 408 at requestTimeout; the app's read fails, logged once", async () => {
    let reads = 0;
    const app: App = async (environ, startResponse) => {
      reads++;
      await environ["tsgi.input"].read();
      startResponse("200 OK", []);
      return [text("read it all")];
    };
    const server = await start(app, { headersTimeout: 200, requestTimeout: 400 });
    const head = "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 100\r\n\r\n";
    const { reply, ms } = await trickle(server.port, head, "x".repeat(100), 50);
    expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(ms).toBeLessThan(2000);
    await sleep(50);
    expect(reads).toBe(1);
    expect(log).toMatch(
      /request timed out from 127\.0\.0\.1:\d+: ERR_HTTP_REQUEST_TIMEOUT; answered 408 Request Timeout in place of the response in progress/,
    );
    expect(log).toMatch(/POST \/: the request was cut off or the client went away; no response sent/);
    expect(log).not.toMatch(/error in app/);
  });
});

describe("the app timeout", () => {
  it("on Node: 504 before the headers, logged; the body handed over later is closed once", async () => {
    const counts = { close: 0 };
    const app: App = async (_environ, startResponse) => {
      await sleep(400);
      startResponse("200 OK", []);
      return counted([text("too late")], counts);
    };
    const server = await start(app, { appTimeout: 100 });
    const started = Date.now();
    const response = await rawRequest(server.port, {
      method: "GET",
      target: "/slow",
      headers: [["Host", "a.test"]],
    });
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(350);
    expect(log).toMatch(/GET "\/slow": the app did not answer within 100 ms \(appTimeout\); answered 504/);
    await sleep(450);
    expect(counts.close).toBe(1);
  });

  it("on Node: a stream still going at the deadline is cut off; iteration stops, close() once", async () => {
    const counts = { close: 0, returns: 0, chunks: 0 };
    const app: App = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      const body = {
        [Symbol.asyncIterator]: () => ({
          async next() {
            await sleep(30);
            counts.chunks++;
            return { done: false as const, value: text("tick\n") };
          },
          async return() {
            counts.returns++;
            return { done: true as const, value: undefined };
          },
        }),
      };
      return counted(body, counts);
    };
    const server = await start(app, { appTimeout: 200 });
    const response = await rawRequest(server.port, {
      method: "GET",
      target: "/stream",
      headers: [["Host", "a.test"]],
    });
    expect(response.status).toBe(200);
    expect(response.aborted).toBe(true);
    await sleep(100);
    const ticks = counts.chunks;
    await sleep(100);
    expect(counts.chunks).toBe(ticks);
    expect(counts.returns).toBe(1);
    expect(counts.close).toBe(1);
    expect(log).toMatch(
      /GET "\/stream": the app did not finish within 200 ms \(appTimeout\); response cut off/,
    );
  });

  it("through tsgi/fetch: a hung app's Response is a 504, logged", async () => {
    const handler = createFetchHandler(() => new Promise<Body>(() => {}), { appTimeout: 50, errors });
    const response = await handler(new Request("http://a.test/hung"));
    expect(response.status).toBe(504);
    expect(await response.text()).toBe("504 Gateway Timeout\n");
    expect(log).toMatch(/GET "\/hung": the app did not answer within 50 ms/);
  });

  it("through tsgi/cgi: a hung app gets a 504 document on stdout", async () => {
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (d: Buffer) => (out += d.toString("latin1")));
    const code = await runCgi(() => new Promise<Body>(() => {}), {
      env: {
        REQUEST_METHOD: "GET",
        SERVER_NAME: "h",
        SERVER_PORT: "80",
        SERVER_PROTOCOL: "HTTP/1.0",
        PATH_INFO: "/",
      },
      stdin: Readable.from([]),
      stdout,
      errors,
      appTimeout: 50,
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^Status: 504 Gateway Timeout\r\n/);
    expect(log).toMatch(/the app did not answer within 50 ms/);
  });
});
