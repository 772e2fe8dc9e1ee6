/**
 * Section 2: cold start. Each peer's hello Lambda handler bundled with esbuild (ESM, node, minified),
 * its size (bytes and gzip), and a fresh process's time to import it and invoke it once, over a bare
 * `node -e ''`, interleaved.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { BENCH_DIR } from "../lib/proc.ts";
import { median } from "../lib/timing.ts";
import { buildEvent } from "../workload.ts";
import { LAMBDA_PEERS } from "./lambda.ts";

/**
 * The cold-start rows: every Lambda peer, tsgi as the hello example deploys it
 * (tsgi/aws-lambda/http-api: HTTP APIs and Function URLs) and tsgi with every front door
 * (tsgi/aws-lambda), which is what the other adapters' bundles carry.
 */
export const COLD_PEERS = [...LAMBDA_PEERS, "tsgi-every-door"] as const;
export type ColdPeerName = (typeof COLD_PEERS)[number];

// What each row's bundle imports: the peer file and the export that makes its hello handler.
function helloOf(peer: ColdPeerName): { file: string; name: string } {
  if (peer === "tsgi") return { file: "lambda-tsgi", name: "helloHttpApi" };
  if (peer === "tsgi-every-door") return { file: "lambda-tsgi", name: "hello" };
  return { file: `lambda-${peer}`, name: "hello" };
}

export interface ColdCell {
  bytes: number;
  gzip: number;
  /** Median wall time of `node cold.ts <bundle>` minus `node -e ''` in the same round. */
  overBareMs: number;
  /** Inside the process: importing the bundle, and the first invocation. */
  importMs: number;
  invokeMs: number;
}

const WORK = `${BENCH_DIR}.work/`;

// CommonJS peers call require() for Node built-ins, which an ESM bundle has to provide.
const REQUIRE_BANNER =
  'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);';

async function bundle(peer: ColdPeerName): Promise<{ file: string; bytes: number; gzip: number }> {
  const entry = `${WORK}entry-${peer}.ts`;
  const { file: from, name } = helloOf(peer);
  writeFileSync(entry, `import { ${name} } from "../peers/${from}.ts";\nexport const handler = ${name}();\n`);
  const file = `${WORK}lambda-${peer}.mjs`;
  await esbuild.build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    minify: true,
    legalComments: "none",
    banner: { js: REQUIRE_BANNER },
    logLevel: "warning",
  });
  const code = readFileSync(file);
  return { file, bytes: code.byteLength, gzip: gzipSync(code).byteLength };
}

function wallMs(args: string[]): number {
  const start = performance.now();
  const stdout = execFileSync(process.execPath, args, { encoding: "utf8" });
  const ms = performance.now() - start;
  lastOutput = stdout;
  return ms;
}
let lastOutput = "";

/**
 * Bundles every peer and times `runs` cold starts of each, interleaved with bare node.
 *
 * @example
 * ```ts
 * const cells = await runCold(15, console.log);
 * ```
 */
export async function runCold(
  runs: number,
  log: (line: string) => void,
): Promise<Record<ColdPeerName, ColdCell>> {
  mkdirSync(WORK, { recursive: true });
  const eventFile = `${WORK}cold-event.json`;
  writeFileSync(eventFile, JSON.stringify(buildEvent("v2")));
  const bundles = new Map<ColdPeerName, { file: string; bytes: number; gzip: number }>();
  for (const peer of COLD_PEERS) bundles.set(peer, await bundle(peer));
  const worker = `${BENCH_DIR}workers/cold.mjs`;
  const samples = new Map<ColdPeerName, Array<{ over: number; importMs: number; invokeMs: number }>>(
    COLD_PEERS.map((peer) => [peer, []]),
  );
  wallMs(["-e", ""]); // the first start warms the page cache
  for (let run = 0; run < runs; run++) {
    for (const peer of COLD_PEERS) {
      const bare = wallMs(["-e", ""]);
      const wall = wallMs([worker, bundles.get(peer)!.file, eventFile]);
      const inside = JSON.parse(lastOutput) as { importMs: number; invokeMs: number };
      samples.get(peer)!.push({ over: wall - bare, ...inside });
    }
  }
  const cells = {} as Record<ColdPeerName, ColdCell>;
  for (const peer of COLD_PEERS) {
    const own = samples.get(peer)!;
    const { bytes, gzip } = bundles.get(peer)!;
    cells[peer] = {
      bytes,
      gzip,
      overBareMs: median(own.map((s) => s.over)),
      importMs: median(own.map((s) => s.importMs)),
      invokeMs: median(own.map((s) => s.invokeMs)),
    };
    log(
      `cold ${peer}: ${bytes} B (${gzip} B gzip), +${cells[peer].overBareMs.toFixed(1)} ms over bare node ` +
        `(import ${cells[peer].importMs.toFixed(1)} ms, first call ${cells[peer].invokeMs.toFixed(1)} ms)`,
    );
  }
  return cells;
}
