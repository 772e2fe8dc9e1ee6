/**
 * Preforked workers under load from a real client (autocannon): a killed worker loses only the
 * requests it had in flight and is replaced; SIGTERM lets every started request finish.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { afterEach, describe, expect, it } from "vitest";
import { keepAliveLoad } from "../support/keep-alive-load.ts";

const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Started {
  child: ChildProcess;
  port: number;
  workers: number[];
  stderr: () => string;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

async function startServer(): Promise<Started> {
  const child = spawn(process.execPath, [SERVER], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    void exit.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const { port, workers } = JSON.parse(line) as { port: number; workers: number[] };
  return { child, port, workers, stderr: () => stderr, exit };
}

/** Starts autocannon; `done` resolves with its result. */
function load(options: autocannon.Options): {
  instance: autocannon.Instance;
  done: Promise<autocannon.Result>;
} {
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
  return { instance: instance!, done };
}

/** The worker pid answering one request on a fresh connection. */
function workerOf(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path: "/", agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(Number(res.headers["x-worker"])));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serve({ workers }) under load", () => {
  it("a killed worker loses only its in-flight requests and is replaced", async () => {
    const server = await startServer();
    expect(server.workers).toHaveLength(2);
    const victim = server.workers[0]!;
    // Which worker answered each connection last (by client port): a connection on the victim at
    // the moment of the kill holds at most one request in flight (no pipelining).
    const lastWorker = new Map<string, number>();
    let victimConnections = -1;
    const { done } = load({
      url: `http://127.0.0.1:${server.port}`,
      connections: 8,
      duration: 4,
      requests: [
        {
          path: "/?sleep=20",
          onResponse: (_status, _body, _context, headers) => {
            if (victimConnections === -1) {
              // autocannon passes header names as sent.
              lastWorker.set(String(headers?.["X-Client-Port"]), Number(headers?.["X-Worker"]));
            }
          },
        },
      ],
    });
    await sleep(1500);
    victimConnections = [...lastWorker.values()].filter((pid) => pid === victim).length;
    process.kill(victim, "SIGKILL");
    const result = await done;

    expect(victimConnections).toBeGreaterThan(0);
    expect(result.errors).toBeLessThanOrEqual(victimConnections);
    expect(result.non2xx).toBe(0);
    expect(result["2xx"]).toBeGreaterThan(100);

    // A new worker answers fresh connections (round robin spreads them over both workers).
    const seen = new Set<number>();
    for (let i = 0; i < 8 && seen.size < 2; i++) seen.add(await workerOf(server.port));
    expect(seen.has(victim)).toBe(false);
    expect([...seen].some((pid) => !server.workers.includes(pid))).toBe(true);
    expect(server.stderr()).toMatch(new RegExp(`worker ${victim} exited with signal SIGKILL`));
    expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toBe("multiprocess=true\n");
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
  });

  it("SIGTERM during load lets every started request finish, then the primary exits 0", async () => {
    const server = await startServer();
    const errors: string[] = [];
    const { instance, done } = load({
      url: `http://127.0.0.1:${server.port}/?sleep=300`,
      connections: 8,
      duration: 20,
    });
    instance.on("reqError", (error: Error & { code?: string }) => errors.push(error.code ?? error.message));
    await sleep(1000);
    server.child.kill("SIGTERM");
    const code = await server.exit;
    instance.stop();
    const result = await done;

    expect(code).toBe(0);
    // Every worker reports the requests it started as it exits; each of them reached the client.
    const started = [...server.stderr().matchAll(/test-worker \d+ started (\d+)/g)].map((m) => Number(m[1]));
    expect(started).toHaveLength(2);
    const total = started.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(8);
    expect(result["2xx"]).toBe(total);
    expect(result.non2xx).toBe(0);
    // Connections made while the workers close are refused or reset before any request started
    // (counted above); none timed out waiting.
    expect(result.timeouts).toBe(0);
    expect(errors.filter((c) => c !== "ECONNREFUSED" && c !== "ECONNRESET")).toEqual([]);
  });

  it("SIGTERM under keep-alive load at c=100 loses no request", async () => {
    const server = await startServer();
    const traffic = keepAliveLoad(server.port, "/?sleep=5", 100);
    await sleep(1000);
    server.child.kill("SIGTERM");
    const code = await server.exit;
    await traffic.done;

    expect(code).toBe(0);
    // No request on a connection the workers had served went unanswered (the keep-alive race). New
    // connections made as the listeners close are refused, or reset by the primary before any
    // worker saw them, as in the test above.
    expect(traffic.outcome.lost).toEqual([]);
    expect(traffic.outcome.answered).toBeGreaterThan(1000);
    // The connections open at SIGTERM were each told to close with their last answer.
    expect(traffic.outcome.closes).toBeGreaterThan(0);
    const started = [...server.stderr().matchAll(/test-worker \d+ started (\d+)/g)].map((m) => Number(m[1]));
    // Every request a worker started was answered.
    expect(started.reduce((a, b) => a + b, 0)).toBe(traffic.outcome.answered);
    console.log(
      `keep-alive SIGTERM: ${JSON.stringify({ ...traffic.outcome, lost: traffic.outcome.lost.length })}`,
    );
  });
});
