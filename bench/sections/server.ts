/**
 * Section 3: Node servers under autocannon on 127.0.0.1, each server in its own child, interleaved.
 * Beside requests per second and p99, the server's own CPU time per request (from /proc): on two
 * shared cores the load tool and the server compete, and requests per second alone hide that.
 */
import autocannon from "autocannon";
import { startWorker } from "../lib/child.ts";
import { cpuMicros } from "../lib/proc.ts";
import { median } from "../lib/timing.ts";
import { requestHeaders } from "../workload.ts";

export const SERVER_PEERS = ["bare", "tsgi", "hono"] as const;
export type ServerPeerName = (typeof SERVER_PEERS)[number];

export interface ServerCell {
  rps: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  /** Median over rounds of (CPU per request / bare node:http's in the same round). */
  cpuRatio: number;
  errors: number;
}

async function measure(peer: ServerPeerName, seconds: number): Promise<Omit<ServerCell, "cpuRatio">> {
  const server = await startWorker<{ port: number }>("server", [peer, "hello"]);
  try {
    const url = `http://127.0.0.1:${server.ready.port}/orders/42/items?page=2&sort=price`;
    const headers = requestHeaders();
    await autocannon({ url, connections: 10, duration: 1, headers }); // warm-up
    const before = cpuMicros(server.pid);
    const result = await autocannon({ url, connections: 10, duration: seconds, headers });
    const cpu = cpuMicros(server.pid) - before;
    return {
      rps: result.requests.average,
      p99Ms: result.latency.p99,
      cpuUsPerRequest: cpu / result.requests.total,
      errors: result.errors + result.non2xx,
    };
  } finally {
    await server.stop();
  }
}

/**
 * Runs every server peer `rounds` times, interleaved.
 *
 * @example
 * ```ts
 * const cells = await runServers(5, 3, console.log);
 * ```
 */
export async function runServers(
  rounds: number,
  seconds: number,
  log: (line: string) => void,
): Promise<Record<ServerPeerName, ServerCell>> {
  const samples = new Map<ServerPeerName, Array<Omit<ServerCell, "cpuRatio">>>(
    SERVER_PEERS.map((peer) => [peer, []]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const peer of SERVER_PEERS) samples.get(peer)!.push(await measure(peer, seconds));
  }
  const bare = samples.get("bare")!;
  const cells = {} as Record<ServerPeerName, ServerCell>;
  for (const peer of SERVER_PEERS) {
    const own = samples.get(peer)!;
    cells[peer] = {
      rps: median(own.map((s) => s.rps)),
      p99Ms: median(own.map((s) => s.p99Ms)),
      cpuUsPerRequest: median(own.map((s) => s.cpuUsPerRequest)),
      cpuRatio: median(own.map((s, i) => s.cpuUsPerRequest / bare[i]!.cpuUsPerRequest)),
      errors: own.reduce((sum, s) => sum + s.errors, 0),
    };
    log(
      `server ${peer}: ${cells[peer].rps.toFixed(0)} req/s, p99 ${cells[peer].p99Ms} ms, ` +
        `${cells[peer].cpuUsPerRequest.toFixed(1)} µs CPU/req (×${cells[peer].cpuRatio.toFixed(2)})`,
    );
  }
  return cells;
}
