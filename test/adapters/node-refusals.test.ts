/**
 * Requests Node's parser refuses, sent byte for byte to bare node:http and to `serve()`: serve()
 * answers wherever Node answers (also when the refused request is the one the app is serving), and
 * its log says exactly what was sent.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerHandle, createListener, serve } from "../../adapters/node.ts";
import { type App, createErrorStream } from "../../core/index.ts";
import { exchange } from "../support/net.ts";

const statusLines = (text: string) => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));

const POST = "POST /x HTTP/1.1\r\nHost: a.test\r\n";
const CHUNKED = `${POST}Transfer-Encoding: chunked\r\n\r\n`;
const INPUTS: Array<[string, string]> = [
  ["Transfer-Encoding: gzip", `${POST}Transfer-Encoding: gzip\r\n\r\nxx`],
  ["Transfer-Encoding: identity", `${POST}Transfer-Encoding: identity\r\n\r\nxx`],
  ['Transfer-Encoding: "chunked"', `${POST}Transfer-Encoding: "chunked"\r\n\r\n3\r\nabc\r\n0\r\n\r\n`],
  ["a bad chunk size", `${CHUNKED}zz\r\nabc\r\n0\r\n\r\n`],
  ["a bad chunk extension", `${CHUNKED}3;a="\u0001"\r\nabc\r\n0\r\n\r\n`],
  ["bare LF line endings in the body", `${CHUNKED}3\nabc\n0\n\n`],
  ["a Content-Length in the trailers", `${CHUNKED}3\r\nabc\r\n0\r\nContent-Length: 5\r\n\r\n`],
  ["a chunk extension too long", `${CHUNKED}3;${"a".repeat(20_000)}\r\nabc\r\n0\r\n\r\n`],
  [
    "a bad request pipelined behind one in progress",
    `${POST}Content-Length: 3\r\n\r\nabcGET /y HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: gzip\r\n\r\n`,
  ],
  ["an extension method (FROBNICATE)", "FROBNICATE / HTTP/1.1\r\nHost: a.test\r\n\r\n"],
];

let log = "";
let handle: ServerHandle;
let bare: ReturnType<typeof createServer>;
let barePort: number;
let running = 0;
const app: App = async (environ, startResponse) => {
  running++;
  try {
    // Slow enough that the refusal comes before the app's first read, which must then fail at once.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const body = await environ["tsgi.input"].read();
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [body];
  } finally {
    running--;
  }
};

beforeAll(async () => {
  handle = await serve(app, { port: 0, errors: createErrorStream((line) => (log += `${line}\n`)) });
  bare = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => undefined);
    req.resume();
    req.on("end", () => setTimeout(() => res.end("ok"), 20));
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  barePort = (bare.address() as AddressInfo).port;
});
afterAll(async () => {
  await handle.close();
  const closed = new Promise((resolve) => bare.close(resolve));
  bare.closeAllConnections();
  await closed;
});

describe("serve() answers what bare node:http answers", () => {
  it.each(INPUTS)("%s", async (_name, input) => {
    log = "";
    const node = statusLines(await exchange(barePort, input));
    const tsgi = statusLines(await exchange(handle.port, input));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(node.at(-1)).toBeGreaterThanOrEqual(400);
    // The final refusal is the same (an earlier complete request may also be answered by tsgi).
    expect(tsgi.at(-1)).toBe(node.at(-1));
    expect(log).toMatch(
      new RegExp(`malformed request from 127\\.0\\.0\\.1:\\d+: \\w+; answered ${node.at(-1)}`),
    );
    // The app's read failing under it is not an app error: no "error in app" with a stack.
    expect(log).not.toMatch(/error in app/);
    expect(log).not.toMatch(/\n\s+at /);
    // No app is left waiting for a body that will never come (it would hold close() up).
    expect(running).toBe(0);
  });

  it("a body cut short by the client's FIN is answered as Node answers it (400), and logged", async () => {
    log = "";
    const input = `${POST}Content-Length: 10\r\n\r\nabc`;
    const node = statusLines(await exchange(barePort, input, { halfClose: true }));
    expect(statusLines(await exchange(handle.port, input, { halfClose: true }))).toEqual(node);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(log).toMatch(/HPE_INVALID_EOF_STATE; answered 400/);
  });

  it("CONNECT is answered 501 and logged (bare node:http closes without a word)", async () => {
    log = "";
    const reply = await exchange(handle.port, "CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n");
    expect(statusLines(reply)).toEqual([501]);
    expect(log).toMatch(/refused CONNECT "a\.test:443" from 127\.0\.0\.1:\d+: answered 501/);
  });

  it("Expect: bogus is answered 417 and logged; the app is not called", async () => {
    log = "";
    const reply = await exchange(handle.port, "GET /e HTTP/1.1\r\nHost: a.test\r\nExpect: bogus\r\n\r\n");
    expect(statusLines(reply)).toEqual([417]);
    expect(log).toMatch(
      /refused GET "\/e" from 127\.0\.0\.1:\d+: Expect "bogus" cannot be met; answered 417/,
    );
  });

  it("createListener on a plain node:http server logs the answer it could not send to a half-closed client", async () => {
    log = "";
    const plain = createServer(
      createListener(app, { errors: createErrorStream((line) => (log += `${line}\n`)) }),
    );
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const input = "GET /gone HTTP/1.1\r\nHost: a.test\r\n\r\n";
    expect(
      statusLines(await exchange((plain.address() as AddressInfo).port, input, { halfClose: true })),
    ).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).toMatch(
      /GET "\/gone": the client closed its side of the connection before the response; not sent/,
    );
    await new Promise((resolve) => plain.close(resolve));
  });

  it("a client that half-closes after its request still gets the answer (bare node:http drops it)", async () => {
    const input = "GET /h HTTP/1.1\r\nHost: a.test\r\n\r\n";
    expect(statusLines(await exchange(barePort, input, { halfClose: true }))).toEqual([]);
    expect(statusLines(await exchange(handle.port, input + input, { halfClose: true }))).toEqual([200, 200]);
  });
});
