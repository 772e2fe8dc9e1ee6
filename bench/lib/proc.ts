/** Child processes and what /proc tells about them (Linux). */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The bench/ directory. */
export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * Runs `bench/workers/<name>.ts` with the project's node and returns the JSON of its last stdout line.
 *
 * @example
 * ```ts
 * const result = await runWorker<{ handlerUs: number }>("lambda", ["tsgi", "v2", "hello", "200"]);
 * ```
 */
export function runWorker<T>(name: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [`${BENCH_DIR}workers/${name}.ts`, ...args],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`worker ${name} ${args.join(" ")} failed: ${stderr || error.message}`));
          return;
        }
        const lines = stdout.trim().split("\n");
        resolve(JSON.parse(lines.at(-1)!) as T);
      },
    );
  });
}

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, all threads) a process has used so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1e6) / CLOCK_TICKS;
}

/** Resident set size now and its peak so far (VmRSS, VmHWM), in bytes. */
export function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { now: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
}
