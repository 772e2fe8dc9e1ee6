/** Section 1: Lambda handlers in process, every peer in its own child, interleaved A B A B. */
import { runWorker } from "../lib/proc.ts";
import { median } from "../lib/timing.ts";
import { EVENT_KINDS, type EventKind } from "../workload.ts";

export const LAMBDA_PEERS = ["raw", "tsgi", "serverless-express", "serverless-http", "hono"] as const;
export type LambdaPeerName = (typeof LAMBDA_PEERS)[number];
export type LambdaApp = "hello" | "echo";

export interface LambdaCell {
  /** Median microseconds per invocation, handler alone. */
  handlerUs: number;
  /** Median microseconds with JSON.parse of the event and JSON.stringify of the result. */
  runtimeUs: number;
  /** Median over rounds of (this peer / raw handler), from the same round. */
  handlerRatio: number;
  runtimeRatio: number;
}

export type LambdaResults = Record<EventKind, Record<LambdaApp, Record<LambdaPeerName, LambdaCell>>>;

/**
 * Runs every peer for every event kind and app, `rounds` times interleaved.
 *
 * @example
 * ```ts
 * const results = await runLambda(5, 200);
 * ```
 */
export async function runLambda(
  rounds: number,
  ms: number,
  log: (line: string) => void,
): Promise<LambdaResults> {
  const results = {} as LambdaResults;
  for (const kind of EVENT_KINDS) {
    results[kind] = {} as LambdaResults[EventKind];
    for (const app of ["hello", "echo"] as const) {
      const samples = new Map<LambdaPeerName, Array<{ handlerUs: number; runtimeUs: number }>>(
        LAMBDA_PEERS.map((peer) => [peer, []]),
      );
      for (let round = 0; round < rounds; round++) {
        for (const peer of LAMBDA_PEERS) {
          samples.get(peer)!.push(await runWorker("lambda", [peer, kind, app, String(ms)]));
        }
      }
      const raw = samples.get("raw")!;
      const cells = {} as Record<LambdaPeerName, LambdaCell>;
      for (const peer of LAMBDA_PEERS) {
        const own = samples.get(peer)!;
        cells[peer] = {
          handlerUs: median(own.map((s) => s.handlerUs)),
          runtimeUs: median(own.map((s) => s.runtimeUs)),
          handlerRatio: median(own.map((s, i) => s.handlerUs / raw[i]!.handlerUs)),
          runtimeRatio: median(own.map((s, i) => s.runtimeUs / raw[i]!.runtimeUs)),
        };
      }
      results[kind][app] = cells;
      log(
        `lambda ${kind} ${app}: ${LAMBDA_PEERS.map((p) => `${p} ${cells[p].handlerUs.toFixed(1)}µs`).join(", ")}`,
      );
    }
  }
  return results;
}
