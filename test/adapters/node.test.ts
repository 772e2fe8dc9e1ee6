/** Node-specific behaviour over real sockets: disconnects, shutdown, proxies, 100-continue. */
import { createServer } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerHandle, createListener, serve } from "../../adapters/node.ts";
import { type App, type Body, createErrorStream } from "../../core/index.ts";
import { rawRequest } from "../conformance/raw-http.ts";
import { exchange } from "../support/net.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let handles: ServerHandle[] = [];
let log = "";
const errors = createErrorStream((line) => (log += `${line}\n`));

async function start(app: App, options = {}) {
  const handle = await serve(app, { port: 0, errors, ...options });
  handles.push(handle);
  return handle;
}
afterEach(async () => {
  await Promise.all(handles.map((h) => h.close()));
  handles = [];
  log = "";
});

describe("node adapter", () => {
  it("a client that disconnects mid-stream causes exactly one close()", async () => {
    let closes = 0;
    let returns = 0;
    let yielded = 0;
    const app: App = (_e, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      const body = {
        [Symbol.asyncIterator]() {
          return {
            async next() {
              yielded++;
              await sleep(20);
              return { done: false, value: enc(`chunk ${yielded}\n`) };
            },
            async return() {
              returns++;
              return { done: true as const, value: undefined };
            },
          };
        },
        close: () => void closes++,
      } as Body;
      return body;
    };
    const server = await start(app);
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, "127.0.0.1", () =>
        socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
      );
      socket.once("data", () => {
        socket.destroy();
        resolve();
      });
    });
    await sleep(200);
    expect(closes).toBe(1);
    expect(returns).toBe(1);
    const before = yielded;
    await sleep(100);
    expect(yielded).toBe(before); // iteration stopped
  });

  it("two different Host headers get a 400 without calling the app", async () => {
    let called = 0;
    const server = await start(() => {
      called++;
      return [];
    });
    const res = await rawRequest(server.port, {
      method: "GET",
      target: "/",
      headers: [
        ["Host", "a"],
        ["Host", "b"],
      ],
    });
    expect(res.status).toBe(400);
    expect(called).toBe(0);
    expect(log).toMatch(/two different Host headers/);
  });

  it("header values are checked again when Node's parser is lenient (insecureHTTPParser)", async () => {
    // Strict (the default): Node itself refuses a NUL in a value, so tsgi takes its values as they are.
    const strict = await start(() => []);
    const refused = await exchange(strict.port, "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n");
    expect(refused).toMatch(/^HTTP\/1\.1 400 /);
    // Lenient: Node lets the NUL through, and the core's own check answers 400 without the app.
    let called = 0;
    const listener = createListener(
      () => {
        called++;
        return [];
      },
      { errors },
    );
    const lenient = createServer({ insecureHTTPParser: true }, (req, res) => void listener(req, res));
    await new Promise<void>((resolve) => lenient.listen(0, "127.0.0.1", resolve));
    try {
      const port = (lenient.address() as AddressInfo).port;
      const res = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\nConnection: close\r\n\r\n");
      expect(res).toMatch(/^HTTP\/1\.1 400 /);
      expect(called).toBe(0);
      expect(log).toMatch(/invalid character in header X-A/);
    } finally {
      lenient.closeAllConnections();
      await new Promise((resolve) => lenient.close(resolve));
    }
  });

  it("a malformed request line gets a 400 and a logged reason; the server lives on", async () => {
    const server = await start((_e, s) => (s("200 OK", []), [enc("alive")]));
    expect(await exchange(server.port, "GARBAGE\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
    expect(log).toMatch(/malformed request/);
    const res = await rawRequest(server.port, { method: "GET", target: "/", headers: [["Host", "x"]] });
    expect(new TextDecoder().decode(res.body)).toBe("alive");
  });

  it("Expect: 100-continue is not answered when the app does not read the body", async () => {
    const server = await start((_e, s) => (s("401 Unauthorized", []), [enc("no")]));
    const got = await exchange(
      server.port,
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
    );
    expect(got).not.toMatch(/100 Continue/);
    expect(got).toMatch(/^HTTP\/1\.1 401/);
    expect(got).toMatch(/Connection: close/i);
  });

  it("trustProxy believes X-Forwarded-For and -Proto from the given hops only", async () => {
    const app: App = (e, s) => (s("200 OK", []), [enc(`${e.REMOTE_ADDR} ${e["tsgi.url_scheme"]}`)]);
    const trusting = await start(app, { trustProxy: 1 });
    const plain = await start(app);
    const headers: Array<[string, string]> = [
      ["Host", "x"],
      ["X-Forwarded-For", "6.6.6.6, 10.0.0.7"],
      ["X-Forwarded-Proto", "https"],
    ];
    const a = await rawRequest(trusting.port, { method: "GET", target: "/", headers });
    const b = await rawRequest(plain.port, { method: "GET", target: "/", headers });
    expect(new TextDecoder().decode(a.body)).toBe("10.0.0.7 https");
    expect(new TextDecoder().decode(b.body)).toBe("127.0.0.1 http");
  });

  it("close() lets in-flight requests finish, then refuses new connections", async () => {
    const server = await start(async (_e, s) => {
      await sleep(150);
      s("200 OK", []);
      return [enc("finished")];
    });
    const inflight = rawRequest(server.port, { method: "GET", target: "/", headers: [["Host", "x"]] });
    await sleep(30);
    const closing = server.close();
    const res = await inflight;
    expect(new TextDecoder().decode(res.body)).toBe("finished");
    await closing;
    await expect(
      rawRequest(server.port, { method: "GET", target: "/", headers: [["Host", "x"]] }),
    ).rejects.toThrow();
  });

  it("close() waits for tsgi.wait_until tasks", async () => {
    let done = false;
    const server = await start((e, s) => {
      e["tsgi.wait_until"](sleep(100).then(() => (done = true)));
      s("204 No Content", []);
      return [];
    });
    await rawRequest(server.port, { method: "GET", target: "/", headers: [["Host", "x"]] });
    expect(done).toBe(false);
    await server.close();
    expect(done).toBe(true);
  });

  it("a port in use is a clear error", async () => {
    const server = await start((_e, s) => (s("200 OK", []), []));
    await expect(serve(() => [], { port: server.port })).rejects.toThrow(/already in use/);
  });

  it("streams with backpressure: a large body arrives whole", async () => {
    const piece = new Uint8Array(64 * 1024).fill(0x61);
    const server = await start((_e, s) => {
      s("200 OK", []);
      return (function* () {
        for (let i = 0; i < 64; i++) yield piece;
      })();
    });
    const res = await rawRequest(
      server.port,
      { method: "GET", target: "/", headers: [["Host", "x"]] },
      { timeout: 10_000 },
    );
    expect(res.body.byteLength).toBe(64 * 64 * 1024);
  });
});
