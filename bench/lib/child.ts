/** A long-running worker (a server) the runner talks to, and stops by its pid. */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { BENCH_DIR } from "./proc.ts";

export interface Child<T> {
  process: ChildProcess;
  pid: number;
  /** The JSON of the worker's first stdout line. */
  ready: T;
  stop(): Promise<void>;
}

/**
 * Starts `bench/workers/<name>.ts` and waits for its first stdout line (JSON).
 *
 * @example
 * ```ts
 * const server = await startWorker<{ port: number }>("server", ["tsgi", "hello"]);
 * await server.stop();
 * ```
 */
export async function startWorker<T>(name: string, args: string[]): Promise<Child<T>> {
  const child = spawn(process.execPath, [`${BENCH_DIR}workers/${name}.ts`, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<T>((resolve, reject) => {
    lines.once("line", (line) => resolve(JSON.parse(line) as T));
    child.once("exit", (code) => reject(new Error(`worker ${name} ${args.join(" ")} exited (${code})`)));
  });
  lines.close();
  return {
    process: child,
    pid: child.pid!,
    ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
