/**
 * Starts `wrangler dev` (local mode, workerd) on 127.0.0.1 with the conformance Worker, offline:
 * metrics, error reports and the `cf` fetch are off, and wrangler's config dir is a temp dir.
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../support/net.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** A running `wrangler dev`. */
export interface WranglerDev {
  port: number;
  /**
   * Everything wrangler (and the Worker's console) printed since the last call, once the output has
   * been quiet for a moment (the Worker's logs trail its responses).
   */
  takeOutput(): Promise<string>;
  stop(): Promise<void>;
}

/** Resolves once `port` answers HTTP, or rejects with wrangler's output after `timeout` ms. */
async function waitReady(port: number, child: ChildProcess, output: () => string, timeout: number) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/__ready`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`wrangler dev did not answer within ${timeout} ms:\n${output()}`);
}

/**
 * Starts `wrangler dev` for test/workerd/wrangler.jsonc with `--test-scheduled`.
 *
 * @example
 * ```ts
 * const dev = await startWranglerDev();
 * await fetch(`http://127.0.0.1:${dev.port}/`);
 * await dev.stop();
 * ```
 */
export async function startWranglerDev(timeout = 60_000): Promise<WranglerDev> {
  const home = mkdtempSync(join(tmpdir(), "tsgi-wrangler-"));
  const port = await freePort();
  const inspectorPort = await freePort();
  const child = spawn(
    join(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev",
      "--config",
      "test/workerd/wrangler.jsonc",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-ip",
      "127.0.0.1",
      "--inspector-port",
      String(inspectorPort),
      "--local",
      "--test-scheduled",
      "--persist-to",
      join(home, "state"),
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: ROOT,
      // Its own process group, so that stop() ends wrangler and the workerd it started, and nothing else.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // The project's node first: wrangler needs node >= 22, the machine's may be older.
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        XDG_CONFIG_HOME: join(home, "config"),
        HOME: home,
        CI: "true",
      },
    },
  );
  let output = "";
  let lastOutput = Date.now();
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    lastOutput = Date.now();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // Already gone.
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitReady(port, child, () => output, timeout);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    async takeOutput() {
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      while (Date.now() - lastOutput < 40 && Date.now() - started < 500) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const taken = output;
      output = "";
      return taken;
    },
    stop,
  };
}
