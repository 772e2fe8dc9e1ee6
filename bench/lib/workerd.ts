/**
 * Running a Worker in the `workerd` binary the npm package ships: bundled with esbuild, a capnp
 * config generated beside it, one socket on 127.0.0.1 (port chosen by workerd, reported on a
 * control pipe), and V8's `--trace-gc` lines counted as they come.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import * as esbuild from "esbuild";
import { BENCH_DIR } from "./proc.ts";

/**
 * The binary itself (an ELF, not a Node launcher): its pid is the process whose CPU is measured.
 *
 * @example
 * ```ts
 * spawn(WORKERD, ["serve", config]);
 * ```
 */
export const WORKERD = `${BENCH_DIR}../node_modules/workerd/bin/workerd`;
const WORK = `${BENCH_DIR}.work/workerd/`;
// V8 writes --trace-gc lines with stdio, block-buffered into a pipe: coreutils' stdbuf makes them
// line-buffered, so that the lines of a measured window arrive within it.
const STDBUF = "/usr/bin/stdbuf";
// The date the project's own Workers use (test/workerd/wrangler.jsonc).
const COMPATIBILITY_DATE = "2026-01-01";

/** Garbage collections seen so far, from V8's `--trace-gc` lines. */
export interface GcCount {
  /** Young-generation collections (Scavenge, Minor Mark-Sweep). */
  minor: number;
  /** Full collections (Mark-Compact, Mark-Sweep). */
  major: number;
  /** The main-thread pause of every collection, summed. */
  pauseMs: number;
  /** The longest single pause. */
  maxPauseMs: number;
}

export interface WorkerdProcess {
  pid: number;
  port: number;
  /** Live counts: read before and after a window and subtract. */
  gc: GcCount;
  stop(): Promise<void>;
}

/**
 * Bundles `bench/peers/workerd-<peer>.ts`'s `<app>()` as a Worker module (esbuild, ESM, the
 * `workerd` export condition as wrangler uses) and writes its capnp config. Returns the config path.
 *
 * @example
 * ```ts
 * const config = await bundleWorker("tsgi", "hello");
 * ```
 */
export async function bundleWorker(peer: string, app: "hello" | "echo"): Promise<string> {
  const dir = `${WORK}${peer}-${app}/`;
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    stdin: {
      contents: `import { ${app} } from "./peers/workerd-${peer}.ts";\nexport default ${app}();\n`,
      resolveDir: BENCH_DIR,
      loader: "ts",
    },
    outfile: `${dir}worker.js`,
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    logLevel: "warning",
  });
  const config = `${dir}config.capnp`;
  writeFileSync(
    config,
    [
      'using Workerd = import "/workerd/workerd.capnp";',
      "const config :Workerd.Config = (",
      '  services = [(name = "main", worker = (',
      '    modules = [(name = "worker.js", esModule = embed "worker.js")],',
      `    compatibilityDate = "${COMPATIBILITY_DATE}",`,
      "  ))],",
      // Port 0: workerd picks a free one and reports it on the control pipe.
      '  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],',
      '  v8Flags = ["--trace-gc"],',
      ");",
      "",
    ].join("\n"),
  );
  return config;
}

const GC_LINE = /: (Scavenge|Minor Mark-Sweep|Mark-Compact|Mark-Sweep)\b.*?, ([\d.]+) \/ [\d.]+ ms/;

/**
 * Starts `workerd serve <config>` and resolves once its socket listens.
 *
 * @example
 * ```ts
 * const server = await startWorkerd(await bundleWorker("raw", "hello"));
 * await server.stop();
 * ```
 */
export async function startWorkerd(config: string): Promise<WorkerdProcess> {
  const args = ["serve", config, "--control-fd=3"];
  const [command, argv] = existsSync(STDBUF) ? [STDBUF, ["-oL", WORKERD, ...args]] : [WORKERD, args];
  const child: ChildProcess = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe", "pipe"] });
  const gc: GcCount = { minor: 0, major: 0, pauseMs: 0, maxPauseMs: 0 };
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const match = GC_LINE.exec(line);
    if (!match) return;
    if (match[1] === "Scavenge" || match[1] === "Minor Mark-Sweep") gc.minor++;
    else gc.major++;
    const pause = Number(match[2]);
    gc.pauseMs += pause;
    if (pause > gc.maxPauseMs) gc.maxPauseMs = pause;
  });
  let stderr = "";
  child.stderr!.on("data", (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-4000);
  });
  const control = child.stdio[3] as NodeJS.ReadableStream;
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: control });
    lines.on("line", (line) => {
      const message = JSON.parse(line) as { event?: string; port?: number };
      if (message.event === "listen" && message.port) {
        lines.close();
        resolve(message.port);
      }
    });
    child.once("exit", (code) => reject(new Error(`workerd exited (${code}): ${stderr}`)));
  });
  return {
    pid: child.pid!,
    port,
    gc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
