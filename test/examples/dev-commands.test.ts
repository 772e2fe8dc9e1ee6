/**
 * The README's local commands end to end: `npm start` (and start:jsonstore, start:penny), `npm run
 * dev:lambda` (each front door, buffered and streaming) and `npm run dev:worker` (wrangler dev with a
 * local Durable Object and a seeded D1), each started as a user would, on a free port, and driven
 * over sockets with the user stories.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { rawRequest } from "../conformance/raw-http.ts";
import { type Step, checkStep, helloStories, jsonStoreStories, pennyStories } from "./stories.ts";
import { freePort } from "../support/net.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const home = mkdtempSync(join(tmpdir(), "tsgi-dev-commands-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Runs `npm run <args>` in its own process group and resolves once its port answers HTTP. */
async function start(args: string[], timeout: number): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn("npm", ["run", "--silent", ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
      PORT: String(port),
      // wrangler's config, logs and local state go to a temporary directory, not the user's.
      XDG_CONFIG_HOME: join(home, "config"),
      PERSIST_TO: join(home, `state-${port}`),
      JSONSTORE_FILE: join(home, `jsonstore-${port}.json`),
    },
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
      return { port, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`npm run ${args.join(" ")} did not answer within ${timeout} ms:\n${output}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

function runStories(command: string[], stories: Step[], timeout = 20_000) {
  describe(`npm run ${command.join(" ")}`, () => {
    let running: Running | undefined;
    beforeAll(async () => {
      running = await start(command, timeout);
    }, timeout + 5000);
    afterAll(() => running?.stop());
    for (const step of stories)
      it(step.name, async () => checkStep(step, await rawRequest(running!.port, step.request)));
  });
}

runStories(["start"], helloStories);
runStories(["start:jsonstore"], jsonStoreStories);
runStories(["start:penny"], pennyStories);
runStories(["dev:lambda"], helloStories);
runStories(["dev:lambda", "--", "jsonstore", "--stream"], jsonStoreStories);
runStories(["dev:lambda", "--", "penny", "--v1"], pennyStories);
runStories(["dev:worker"], helloStories, 60_000);
runStories(["dev:worker", "--", "jsonstore"], jsonStoreStories, 60_000);
runStories(["dev:worker", "--", "penny"], pennyStories, 60_000);
