/**
 * The README's local commands end to end: `npm start` (and start:jsonstore, start:penny), `npm run
 * dev:lambda` (each front door, buffered and streaming) and `npm run dev:worker` (wrangler dev with a
 * local Durable Object and a seeded D1), each started as a user would, on a free port, and driven
 * over sockets with the user stories.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { type Server, createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../conformance/raw-http.ts";
import { type Step, checkStep, helloStories, jsonStoreStories, pennyStories } from "./stories.ts";
import { freePort } from "../support/net.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const home = mkdtempSync(join(tmpdir(), "tsgi-dev-commands-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Running {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** The environment a command runs in: the project's node first, state in a temporary directory. */
function commandEnv(port: number | string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    PORT: String(port),
    // wrangler's config, logs and local state go to a temporary directory, not the user's.
    XDG_CONFIG_HOME: join(home, "config"),
    PERSIST_TO: join(home, `state-${port}`),
    JSONSTORE_FILE: join(home, `jsonstore-${port}.json`),
  };
}

/** Runs `npm run <args>` in its own process group and resolves once its port answers HTTP. */
async function start(args: string[], timeout: number): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn("npm", ["run", "--silent", ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: commandEnv(port),
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, "SIGTERM");
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeout;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm run ${args.join(" ")} exited:\n${output}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      return { port, stop, output: () => output };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`npm run ${args.join(" ")} did not answer within ${timeout} ms:\n${output}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/** One line of gunicorn's default access log format (Apache combined), then the duration. */
const ACCESS_LINE =
  /^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z]+ \/\S* HTTP\/1\.[01]" \d{3} (\d+|-) "[^"]*" "[^"]*" \d+\.\dms$/m;

function runStories(command: string[], stories: Step[], timeout = 20_000, accessLog = true) {
  describe(`npm run ${command.join(" ")}`, () => {
    let running: Running | undefined;
    beforeAll(async () => {
      running = await start(command, timeout);
    }, timeout + 5000);
    afterAll(() => running?.stop());
    for (const step of stories)
      it(step.name, async () => checkStep(step, await rawRequest(running!.port, step.request)));
    if (accessLog) {
      it("logs the requests in gunicorn's access log format, with their duration", async () => {
        for (let i = 0; i < 50 && !ACCESS_LINE.test(running!.output()); i++) {
          await new Promise((done) => setTimeout(done, 20));
        }
        expect(running!.output()).toMatch(ACCESS_LINE);
      });
    }
  });
}

/** Runs `npm run <args>` to its end: it must fail in one line of stderr (no stack), exit code 1. */
function expectOneLineFailure(args: string[], port: number | string, message: RegExp) {
  const result = spawnSync("npm", ["run", "--silent", ...args], {
    cwd: ROOT,
    env: commandEnv(port),
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
}

describe("the local commands say what is wrong in one line", () => {
  it("npm start with PORT=abc", () =>
    expectOneLineFailure(
      ["start"],
      "abc",
      /^tsgi: PORT must be a port number from 0 to 65535, got "abc"\n$/,
    ));

  it.each([["start"], ["dev:lambda"]])("npm run %s on a port in use", async (command) => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    try {
      expectOneLineFailure(
        [command],
        port,
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; stop the other server or set PORT\n$`),
      );
    } finally {
      blocker.close();
    }
  });
});

runStories(["start"], helloStories);
runStories(["start:jsonstore"], jsonStoreStories);
runStories(["start:penny"], pennyStories);
runStories(["dev:lambda"], helloStories);
runStories(["dev:lambda", "--", "jsonstore", "--stream"], jsonStoreStories);
runStories(["dev:lambda", "--", "penny", "--v1"], pennyStories);
// wrangler dev logs each request itself, in its own format.
runStories(["dev:worker"], helloStories, 60_000);
runStories(["dev:worker", "--", "jsonstore"], jsonStoreStories, 60_000, false);
runStories(["dev:worker", "--", "penny"], pennyStories, 60_000, false);

describe("npm run dev:worker: the hello example's timing line", () => {
  it("is an ordinary log line, not shown as an error", async () => {
    const running = await start(["dev:worker"], 60_000);
    try {
      await fetch(`http://127.0.0.1:${running.port}/timing`);
      for (let i = 0; i < 100 && !/GET \/timing took/.test(running.output()); i++) {
        await new Promise((done) => setTimeout(done, 50));
      }
      expect(running.output()).toMatch(/^GET \/timing took [\d.]+ ms$/m);
      expect(running.output()).not.toMatch(/ERROR.*took/);
    } finally {
      await running.stop();
    }
  }, 70_000);
});
