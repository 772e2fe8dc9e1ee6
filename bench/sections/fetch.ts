/** Section 4: Fetch handlers in process, each peer in its own child, interleaved. */
import { runWorker } from "../lib/proc.ts";
import { median } from "../lib/timing.ts";

export const FETCH_PEERS = ["raw", "tsgi", "hono"] as const;
export type FetchPeerName = (typeof FETCH_PEERS)[number];

export interface FetchCell {
  us: number;
  rps: number;
  /** Median over rounds of (this peer's time / the raw handler's). */
  ratio: number;
}

/**
 * Runs every Fetch peer for hello and echo, `rounds` times interleaved.
 *
 * @example
 * ```ts
 * const cells = await runFetch(5, 300, console.log);
 * ```
 */
export async function runFetch(
  rounds: number,
  ms: number,
  log: (line: string) => void,
): Promise<Record<"hello" | "echo", Record<FetchPeerName, FetchCell>>> {
  const out = {} as Record<"hello" | "echo", Record<FetchPeerName, FetchCell>>;
  for (const app of ["hello", "echo"] as const) {
    const samples = new Map<FetchPeerName, number[]>(FETCH_PEERS.map((peer) => [peer, []]));
    for (let round = 0; round < rounds; round++) {
      for (const peer of FETCH_PEERS) {
        samples.get(peer)!.push((await runWorker<{ us: number }>("fetch", [peer, app, String(ms)])).us);
      }
    }
    const raw = samples.get("raw")!;
    out[app] = {} as Record<FetchPeerName, FetchCell>;
    for (const peer of FETCH_PEERS) {
      const own = samples.get(peer)!;
      const us = median(own);
      out[app][peer] = { us, rps: 1e6 / us, ratio: median(own.map((v, i) => v / raw[i]!)) };
    }
    log(`fetch ${app}: ${FETCH_PEERS.map((p) => `${p} ${out[app][p].us.toFixed(1)}µs`).join(", ")}`);
  }
  return out;
}
