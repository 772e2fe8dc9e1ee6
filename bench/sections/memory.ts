/**
 * Section 5: memory. A 5 MB binary request body through the Lambda handler against the raw handler
 * (fresh child each run, interleaved), and a 1 GiB streamed response through the Node server, whose
 * RSS is sampled from /proc while the client reads and discards.
 */
import { get } from "node:http";
import { startWorker } from "../lib/child.ts";
import { rss, runWorker } from "../lib/proc.ts";
import { median } from "../lib/timing.ts";
import { STREAM_TOTAL } from "../peers/stream.ts";

export interface BigBodyCell {
  ms: number;
  peakRss: number;
  addedRss: number;
  exact: boolean;
  msRatio: number;
  addedRssRatio: number;
}

export interface StreamCell {
  bytes: number;
  seconds: number;
  /** VmRSS once the first 64 MiB were read. */
  rssAt64MiB: number;
  /** VmHWM at the end. */
  peakRss: number;
  /** VmRSS at the end. */
  endRss: number;
}

/**
 * The 5 MB body, `rounds` times per peer in fresh children.
 *
 * @example
 * ```ts
 * const cells = await runBigBody(5, console.log);
 * ```
 */
export async function runBigBody(
  rounds: number,
  log: (line: string) => void,
): Promise<Record<"raw" | "tsgi", BigBodyCell>> {
  type Sample = Omit<BigBodyCell, "msRatio" | "addedRssRatio">;
  const samples: Record<"raw" | "tsgi", Sample[]> = { raw: [], tsgi: [] };
  for (let round = 0; round < rounds; round++) {
    for (const peer of ["raw", "tsgi"] as const)
      samples[peer].push(await runWorker<Sample>("big-body", [peer, "5"]));
  }
  const cells = {} as Record<"raw" | "tsgi", BigBodyCell>;
  for (const peer of ["raw", "tsgi"] as const) {
    const own = samples[peer];
    cells[peer] = {
      ms: median(own.map((s) => s.ms)),
      peakRss: median(own.map((s) => s.peakRss)),
      addedRss: median(own.map((s) => s.addedRss)),
      exact: own.every((s) => s.exact),
      msRatio: median(own.map((s, i) => s.ms / samples.raw[i]!.ms)),
      addedRssRatio: median(own.map((s, i) => s.addedRss / samples.raw[i]!.addedRss)),
    };
    log(
      `5 MB body ${peer}: ${cells[peer].ms.toFixed(1)} ms, peak RSS ${(cells[peer].peakRss / 2 ** 20).toFixed(0)} MiB ` +
        `(+${(cells[peer].addedRss / 2 ** 20).toFixed(0)} MiB), exact ${cells[peer].exact}`,
    );
  }
  return cells;
}

/**
 * 1 GiB streamed through one server peer, read and discarded by this process.
 *
 * @example
 * ```ts
 * const cell = await runStream("tsgi", console.log);
 * ```
 */
export async function runStream(peer: "tsgi" | "bare", log: (line: string) => void): Promise<StreamCell> {
  const server = await startWorker<{ port: number }>("server", [peer, "stream"]);
  try {
    let bytes = 0;
    let rssAt64MiB = 0;
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      get(`http://127.0.0.1:${server.ready.port}/stream`, (res) => {
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.byteLength;
          if (!rssAt64MiB && bytes >= 64 * 2 ** 20) rssAt64MiB = rss(server.pid).now;
        });
        res.on("end", resolve);
        res.on("error", reject);
      }).on("error", reject);
    });
    const seconds = (performance.now() - start) / 1000;
    const end = rss(server.pid);
    if (bytes !== STREAM_TOTAL) throw new Error(`${peer} streamed ${bytes} bytes, not ${STREAM_TOTAL}`);
    const cell = { bytes, seconds, rssAt64MiB, peakRss: end.peak, endRss: end.now };
    log(
      `1 GiB stream ${peer}: ${seconds.toFixed(2)} s, RSS at 64 MiB ${(rssAt64MiB / 2 ** 20).toFixed(0)} MiB, ` +
        `peak ${(end.peak / 2 ** 20).toFixed(0)} MiB, end ${(end.now / 2 ** 20).toFixed(0)} MiB`,
    );
    return cell;
  } finally {
    await server.stop();
  }
}
