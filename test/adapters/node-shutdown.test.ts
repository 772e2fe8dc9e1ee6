/**
 * close() under keep-alive load, over real sockets: 100 keep-alive clients keep sending while the
 * server shuts down. No request that reached the server is lost: each is answered, and every answer
 * to a request sent after close() began says `Connection: close`.
 */
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { expect, it } from "vitest";
import { serve } from "../../adapters/node.ts";
import { type App, createErrorStream } from "../../core/index.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  /** Requests answered, and how many of the answers sent after close() began said Connection: close. */
  answered: number;
  answeredAfterClose: number;
  closeAfterClose: number;
  /** Requests that failed after they were sent (reset, hang-up): lost. */
  lost: string[];
}

/** One keep-alive client: request after request on its connection until the server refuses a new one. */
async function client(port: number, agent: Agent, closing: () => boolean, outcome: Outcome): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    const sentAfterClose = closing();
    const result = await new Promise<"ok" | "refused">((resolve) => {
      const req = request({ port, host: "127.0.0.1", path: "/", agent }, (res) => {
        res.resume();
        res.on("end", () => {
          outcome.answered++;
          if (sentAfterClose) {
            outcome.answeredAfterClose++;
            if (res.headers.connection === "close") outcome.closeAfterClose++;
          }
          resolve("ok");
        });
      });
      req.on("error", (error: Error & { code?: string }) => {
        // A new connection refused (the listener is closed): nothing was sent on it.
        if (error.code === "ECONNREFUSED") resolve("refused");
        else {
          outcome.lost.push(error.code ?? error.message);
          resolve("refused");
        }
      });
      req.end();
    });
    if (result === "refused") return;
  }
}

it("close() under keep-alive load at c=100 loses no request; later answers say Connection: close", async () => {
  const app: App = async (_environ, startResponse) => {
    await sleep(5);
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [new TextEncoder().encode("ok")];
  };
  const handle = await serve(app, { port: 0, errors: createErrorStream(() => {}), shutdownTimeout: 5000 });
  // Which heads went out after close() began, and whether they kept the connection alive (read
  // right after writeHead, where node:http writes the Connection header from it).
  // Marked by a flag set just before close() is called, not by a clock: heads written earlier in
  // the same millisecond are not late.
  let closeCalled = false;
  const heads: Array<{ late: boolean; keepAlive: boolean }> = [];
  handle.server.prependListener("request", (_req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      const result = writeHead.apply(this, args);
      heads.push({ late: closeCalled, keepAlive: this.shouldKeepAlive });
      return result;
    } as typeof writeHead;
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 100 });
  const outcome: Outcome = { answered: 0, answeredAfterClose: 0, closeAfterClose: 0, lost: [] };
  let closing = false;
  const clients = Array.from({ length: 100 }, () => client(handle.port, agent, () => closing, outcome));
  await sleep(300);
  closing = true;
  const started = Date.now();
  closeCalled = true;
  await handle.close();
  const took = Date.now() - started;
  await Promise.all(clients);
  agent.destroy();

  expect(outcome.lost).toEqual([]);
  expect(outcome.answered).toBeGreaterThan(500);
  const late = heads.filter((h) => h.late);
  expect(late.length).toBeGreaterThan(0);
  expect(late.filter((h) => h.keepAlive)).toEqual([]);
  // A request sent after close() began went out on a connection still open: answered, with close.
  expect(outcome.closeAfterClose).toBe(outcome.answeredAfterClose);
  expect(took).toBeLessThan(5000);
}, 20_000);

it("a request on an idle keep-alive connection shortly after close() began is served, with Connection: close", async () => {
  const app: App = (_environ, startResponse) => {
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [new TextEncoder().encode("ok")];
  };
  const handle = await serve(app, { port: 0, errors: createErrorStream(() => {}) });
  const socket = connect(handle.port, "127.0.0.1");
  let received = "";
  socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
  const closedByServer = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const ask = () => socket.write("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
  ask();
  while (!received.includes("\r\n\r\nok")) await sleep(5);
  expect(received).toMatch(/Connection: keep-alive/);
  const closed = handle.close();
  // The client's next request, sent as the shutdown began: node:http alone would have cut the idle
  // connection under it.
  await sleep(50);
  received = "";
  ask();
  await closedByServer;
  expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(received).toMatch(/Connection: close/);
  await closed;
});
