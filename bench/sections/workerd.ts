/**
 * Section 6: Workers in workerd. The raw, Hono and tsgi Workers, each bundled and run by the
 * `workerd` binary, loaded by autocannon over 127.0.0.1 at 50 connections. Per run: the workerd
 * process's CPU per request (from /proc), p99 latency, and V8's garbage collections in the window.
 * Workers are billed by CPU time, and workerd's Fetch implementation is not undici's.
 */
import autocannon from "autocannon";
import { cpuMicros } from "../lib/proc.ts";
import { median } from "../lib/timing.ts";
import { bundleWorker, startWorkerd } from "../lib/workerd.ts";
import { PAYLOAD_TEXT, requestHeaders } from "../workload.ts";

export const WORKERD_PEERS = ["raw", "hono", "tsgi"] as const;
export type WorkerdPeerName = (typeof WORKERD_PEERS)[number];
export type WorkerdApp = "hello" | "echo";

export interface WorkerdCell {
  rps: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  /** Median over rounds of (CPU per request / the raw Worker's in the same round). */
  cpuRatio: number;
  /** Median over rounds of (p99 / the raw Worker's p99 in the same round; a 0 ms p99 counts as 1 ms). */
  p99Ratio: number;
  /** Collections in the measured window (median over rounds), and their pauses. */
  minorGcs: number;
  majorGcs: number;
  gcPauseMs: number;
  maxGcPauseMs: number;
  errors: number;
}

type Sample = Omit<WorkerdCell, "cpuRatio" | "p99Ratio">;

const CONNECTIONS = 50;
const WARM_UP_SECONDS = 1;

async function measure(config: string, app: WorkerdApp, seconds: number): Promise<Sample> {
  const server = await startWorkerd(config);
  try {
    const url = `http://127.0.0.1:${server.port}/orders/42/items?page=2&sort=price`;
    const options =
      app === "echo"
        ? { method: "POST" as const, headers: requestHeaders("application/json"), body: PAYLOAD_TEXT }
        : { method: "GET" as const, headers: requestHeaders() };
    await autocannon({ url, connections: CONNECTIONS, duration: WARM_UP_SECONDS, ...options });
    const gcBefore = { ...server.gc };
    const cpuBefore = cpuMicros(server.pid);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, ...options });
    const cpu = cpuMicros(server.pid) - cpuBefore;
    const gc = server.gc;
    return {
      rps: result.requests.average,
      p99Ms: result.latency.p99,
      cpuUsPerRequest: cpu / result.requests.total,
      minorGcs: gc.minor - gcBefore.minor,
      majorGcs: gc.major - gcBefore.major,
      gcPauseMs: gc.pauseMs - gcBefore.pauseMs,
      // The longest pause of the whole run, warm-up included: a full collection may fall in either.
      maxGcPauseMs: gc.maxPauseMs,
      errors: result.errors + result.non2xx,
    };
  } finally {
    await server.stop();
  }
}

/**
 * Bundles the three Workers for hello and echo, then runs each `rounds` times, interleaved, with a
 * fresh workerd per run (1 s of warm-up, then `seconds` measured).
 *
 * @example
 * ```ts
 * const cells = await runWorkerd(3, 3, console.log);
 * ```
 */
export async function runWorkerd(
  rounds: number,
  seconds: number,
  log: (line: string) => void,
): Promise<Record<WorkerdApp, Record<WorkerdPeerName, WorkerdCell>>> {
  const out = {} as Record<WorkerdApp, Record<WorkerdPeerName, WorkerdCell>>;
  for (const app of ["hello", "echo"] as const) {
    const configs = new Map<WorkerdPeerName, string>();
    for (const peer of WORKERD_PEERS) configs.set(peer, await bundleWorker(peer, app));
    const samples = new Map<WorkerdPeerName, Sample[]>(WORKERD_PEERS.map((peer) => [peer, []]));
    for (let round = 0; round < rounds; round++) {
      for (const peer of WORKERD_PEERS) {
        samples.get(peer)!.push(await measure(configs.get(peer)!, app, seconds));
      }
    }
    const raw = samples.get("raw")!;
    out[app] = {} as Record<WorkerdPeerName, WorkerdCell>;
    for (const peer of WORKERD_PEERS) {
      const own = samples.get(peer)!;
      const cell: WorkerdCell = {
        rps: median(own.map((s) => s.rps)),
        p99Ms: median(own.map((s) => s.p99Ms)),
        cpuUsPerRequest: median(own.map((s) => s.cpuUsPerRequest)),
        cpuRatio: median(own.map((s, i) => s.cpuUsPerRequest / raw[i]!.cpuUsPerRequest)),
        p99Ratio: median(own.map((s, i) => Math.max(1, s.p99Ms) / Math.max(1, raw[i]!.p99Ms))),
        minorGcs: median(own.map((s) => s.minorGcs)),
        majorGcs: median(own.map((s) => s.majorGcs)),
        gcPauseMs: median(own.map((s) => s.gcPauseMs)),
        maxGcPauseMs: Math.max(...own.map((s) => s.maxGcPauseMs)),
        errors: own.reduce((sum, s) => sum + s.errors, 0),
      };
      out[app][peer] = cell;
      log(
        `workerd ${app} ${peer}: ${cell.rps.toFixed(0)} req/s, p99 ${cell.p99Ms} ms, ` +
          `${cell.cpuUsPerRequest.toFixed(1)} µs CPU/req (×${cell.cpuRatio.toFixed(2)}), ` +
          `GC ${cell.minorGcs} minor + ${cell.majorGcs} full (${cell.gcPauseMs.toFixed(0)} ms, ` +
          `longest ${cell.maxGcPauseMs.toFixed(0)} ms), ${cell.errors} errors`,
      );
    }
  }
  return out;
}
