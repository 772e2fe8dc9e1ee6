/** Writing the results: bench/results.md (tables, targets, machine, versions) and bench/results.svg. */
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { COLD_PEERS, type ColdCell, type ColdPeerName } from "./sections/cold.ts";
import type { FetchCell, FetchPeerName } from "./sections/fetch.ts";
import { type HonoCorrectnessRow, renderHonoCorrectness } from "./sections/hono-correctness.ts";
import { LAMBDA_PEERS, type LambdaResults } from "./sections/lambda.ts";
import type { BigBodyCell, StreamCell } from "./sections/memory.ts";
import type { ServerCell, ServerPeerName } from "./sections/server.ts";
import type { WorkerdApp, WorkerdCell, WorkerdPeerName } from "./sections/workerd.ts";
import { BENCH_DIR } from "./lib/proc.ts";
import { EVENT_KINDS } from "./workload.ts";

export interface Results {
  lambda: LambdaResults;
  cold: Record<ColdPeerName, ColdCell>;
  server: Record<ServerPeerName, ServerCell>;
  fetch: Record<"hello" | "echo", Record<FetchPeerName, FetchCell>>;
  bigBody: Record<"raw" | "tsgi", BigBodyCell>;
  stream: Record<"tsgi" | "bare", StreamCell>;
  honoCorrectness: HonoCorrectnessRow[];
  workerd: Record<WorkerdApp, Record<WorkerdPeerName, WorkerdCell>>;
  workerdRounds: number;
  workerdSeconds: number;
  rounds: number;
  /** Rounds and measured milliseconds per run of the Lambda section. */
  lambdaRounds: number;
  lambdaMs: number;
  seconds: number;
}

const PEER_LABEL: Record<string, string> = {
  raw: "raw handler (floor)",
  tsgi: "**tsgi**",
  "tsgi-every-door": "tsgi, every front door",
  "serverless-express": "@codegenie/serverless-express",
  "serverless-http": "serverless-http",
  hono: "hono",
  bare: "bare node:http (floor)",
};
const PACKAGES = [
  "hono",
  "@hono/node-server",
  "serverless-http",
  "@codegenie/serverless-express",
  "autocannon",
  "esbuild",
];
const PEERS_ONLY = LAMBDA_PEERS.filter((p) => p !== "raw" && p !== "tsgi");

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;
const ok = (pass: boolean) => (pass ? "met" : "**missed**");

function versionOf(name: string): string {
  try {
    const json = JSON.parse(readFileSync(`${BENCH_DIR}../node_modules/${name}/package.json`, "utf8")) as {
      version: string;
    };
    return json.version;
  } catch {
    return "?";
  }
}

function machine(): string[] {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "unknown CPU";
  return [
    `- Machine: ${availableParallelism()} cores (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Linux`,
    `- Node ${process.version}; ${PACKAGES.map((p) => `${p} ${versionOf(p)}`).join(", ")}`,
    `- Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  ];
}

/** The targets of issue 7, each with whether this run met it. */
function targets(r: Results): string[] {
  const lines: string[] = [];
  for (const kind of EVENT_KINDS) {
    const echo = r.lambda[kind].echo;
    const best = Math.min(...PEERS_ONLY.map((p) => echo[p].handlerRatio));
    const speedup = best / echo.tsgi.handlerRatio;
    lines.push(
      `| Lambda ${kind} echo within 1.7× of the raw handler | ${f2(echo.tsgi.handlerRatio)}× | ${ok(echo.tsgi.handlerRatio <= 1.7)} |`,
      `| Lambda ${kind} echo at least 2× faster than the fastest peer | ${f2(speedup)}× | ${ok(speedup >= 2)} |`,
    );
  }
  const gz = r.cold.tsgi.gzip;
  const smallest = PEERS_ONLY.every((p) => gz < r.cold[p].gzip);
  lines.push(
    `| Smallest bundle (gzip, among adapters) | ${kb(gz)} (tsgi/aws-lambda/http-api; every front door ${kb(r.cold["tsgi-every-door"].gzip)}) | ${ok(smallest)} |`,
    `| Cold start within +2 ms of the raw handler's | +${f1(r.cold.tsgi.overBareMs - r.cold.raw.overBareMs)} ms (tsgi +${f1(r.cold.tsgi.overBareMs)}, raw handler +${f1(r.cold.raw.overBareMs)} ms over bare node) | ${ok(r.cold.tsgi.overBareMs - r.cold.raw.overBareMs <= 2)} |`,
    `| serve() CPU per request within 1.05× of bare node:http | ${f2(r.server.tsgi.cpuRatio)}× | ${ok(r.server.tsgi.cpuRatio <= 1.05)} |`,
  );
  for (const app of ["hello", "echo"] as const) {
    const { tsgi, hono } = r.fetch[app];
    lines.push(
      `| Fetch ${app} above Hono | ${f2(hono.us / tsgi.us)}× Hono's req/s | ${ok(tsgi.us < hono.us)} |`,
    );
  }
  lines.push(...workerdTargets(r));
  const big = r.bigBody.tsgi;
  lines.push(
    `| 5 MB body within 2× of the raw handler (time, memory) | ${f2(big.msRatio)}×, ${f2(big.addedRssRatio)}× | ${ok(big.msRatio <= 2 && big.addedRssRatio <= 2 && big.exact)} |`,
  );
  const stream = r.stream.tsgi;
  lines.push(
    `| 1 GiB stream: RSS stays flat | ${mib(stream.rssAt64MiB)} after 64 MiB, peak ${mib(stream.peakRss)} | ${ok(stream.peakRss <= stream.rssAt64MiB * 1.25)} |`,
  );
  return lines;
}

function lambdaTable(r: Results): string[] {
  const lines = [
    "| Event | App | " + LAMBDA_PEERS.map((p) => PEER_LABEL[p]).join(" | ") + " |",
    "|---|---|" + LAMBDA_PEERS.map(() => "---:").join("|") + "|",
  ];
  for (const kind of EVENT_KINDS) {
    for (const app of ["hello", "echo"] as const) {
      const cells = r.lambda[kind][app];
      lines.push(
        `| ${kind} | ${app} | ` +
          LAMBDA_PEERS.map((p) => {
            const c = cells[p];
            const ratio = p === "raw" ? "" : ` (${f2(c.runtimeRatio)}×)`;
            return `${f1(c.handlerUs)} / ${f1(c.runtimeUs)}${ratio}`;
          }).join(" | ") +
          " |",
      );
    }
  }
  return lines;
}

/** The Workers targets of issue 14. */
function workerdTargets(r: Results): string[] {
  const { hello, echo } = r.workerd;
  return [
    `| Workers CPU per request within 1.10× of a raw Worker (hello / echo) | ${f2(hello.tsgi.cpuRatio)}× / ${f2(echo.tsgi.cpuRatio)}× (Hono ${f2(hello.hono.cpuRatio)}× / ${f2(echo.hono.cpuRatio)}×) | ${ok(hello.tsgi.cpuRatio <= 1.1 && echo.tsgi.cpuRatio <= 1.1)} |`,
    `| Workers p99 at c=50 within 1.5× of a raw Worker's, hello | ${hello.tsgi.p99Ms} ms (${f2(hello.tsgi.p99Ratio)}×; raw ${hello.raw.p99Ms} ms, Hono ${hello.hono.p99Ms} ms) | ${ok(hello.tsgi.p99Ratio <= 1.5)} |`,
  ];
}

/** Section 6: one table per app. */
function workerdTables(r: Results): string[] {
  const lines: string[] = [];
  for (const app of ["hello", "echo"] as const) {
    lines.push(
      `| ${app} | Req/s | p99 (ms) | CPU µs/request | CPU vs raw | GCs minor + full | GC pause (ms) | Longest pause (ms) | Errors |`,
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const p of ["raw", "hono", "tsgi"] as const) {
      const c = r.workerd[app][p];
      const label = p === "raw" ? "raw Worker (floor)" : (PEER_LABEL[p] ?? p);
      lines.push(
        `| ${label} | ${c.rps.toFixed(0)} | ${c.p99Ms} | ${f1(c.cpuUsPerRequest)} | ${f2(c.cpuRatio)}× | ${c.minorGcs} + ${c.majorGcs} | ${c.gcPauseMs.toFixed(0)} | ${c.maxGcPauseMs.toFixed(0)} | ${c.errors} |`,
      );
    }
    lines.push("");
  }
  return lines;
}

/** bench/results.md. */
export function renderMarkdown(r: Results): string {
  const cold = COLD_PEERS.map(
    (p) =>
      `| ${PEER_LABEL[p]} | ${r.cold[p].bytes} | ${r.cold[p].gzip} | +${f1(r.cold[p].overBareMs)} | ${f1(r.cold[p].importMs)} | ${f1(r.cold[p].invokeMs)} |`,
  );
  const server = (["bare", "tsgi", "hono"] as const).map(
    (p) =>
      `| ${PEER_LABEL[p] ?? p} | ${r.server[p].rps.toFixed(0)} | ${r.server[p].p99Ms} | ${f1(r.server[p].cpuUsPerRequest)} | ${f2(r.server[p].cpuRatio)}× | ${r.server[p].errors} |`,
  );
  const fetch = (["raw", "tsgi", "hono"] as const).map(
    (p) =>
      `| ${p === "raw" ? "raw fetch handler (floor)" : PEER_LABEL[p]} | ${r.fetch.hello[p].rps.toFixed(0)} | ${r.fetch.echo[p].rps.toFixed(0)} | ${f2(r.fetch.hello[p].ratio)}× / ${f2(r.fetch.echo[p].ratio)}× |`,
  );
  const big = (["raw", "tsgi"] as const).map(
    (p) =>
      `| ${PEER_LABEL[p]} | ${f1(r.bigBody[p].ms)} | ${mib(r.bigBody[p].peakRss)} | +${mib(r.bigBody[p].addedRss)} | ${r.bigBody[p].exact ? "yes" : "**no**"} |`,
  );
  const stream = (["bare", "tsgi"] as const).map(
    (p) =>
      `| ${PEER_LABEL[p] ?? p} | ${f2(r.stream[p].seconds)} | ${mib(r.stream[p].rssAt64MiB)} | ${mib(r.stream[p].peakRss)} | ${mib(r.stream[p].endRss)} |`,
  );
  return [
    "# tsgi benchmarks",
    "",
    "Written by `npm run bench` (code in `bench/`). Each peer runs in its own process, peers interleaved",
    `(A B A B ...), ${r.rounds} rounds (Lambda: ${r.lambdaRounds}), medians; ratios are taken within a round and their median shown.`,
    "",
    ...machine(),
    "",
    "![ratios](results.svg)",
    "",
    "## Targets (issues 7 and 14)",
    "",
    "| Target | This run | |",
    "|---|---|---|",
    ...targets(r),
    "",
    "## 1. Lambda, in process",
    "",
    "Microseconds per invocation: handler alone / with the runtime's own `JSON.parse` of the event and",
    "`JSON.stringify` of the result (the cost every Lambda pays), and in parentheses that second figure",
    "as a ratio to the raw handler's. Events carry a dozen headers, two cookies and a query string; `echo`",
    "parses and re-serializes a 1 KB JSON body. serverless-http and serverless-express run a bare",
    "`(req, res)` listener (no framework), Hono its own app, tsgi a tsgi app.",
    "",
    `Every peer alike: ${r.lambdaRounds} rounds; per peer per round a fresh process warms both paths up for`,
    `${r.lambdaMs / 2} ms, then times three alternating slices of each (${r.lambdaMs} ms measured in all) and reports the`,
    "median slice. Runs much shorter than a second catch the JIT before it settles and favour the",
    "smallest code over the fastest.",
    "",
    ...lambdaTable(r),
    "",
    "## 2. Cold start",
    "",
    "The hello handler bundled with esbuild (ESM, platform node, minified, node22); a fresh process",
    "importing it and invoking it once, over a bare `node -e ''` (median of the runs). **tsgi** is",
    "`tsgi/aws-lambda/http-api` (HTTP APIs and Function URLs, as the hello example deploys it); the",
    "row below it is `tsgi/aws-lambda`, every front door, as the other adapters' bundles carry.",
    "",
    "| Peer | Bytes | Gzip | Over bare node (ms) | Import (ms) | First call (ms) |",
    "|---|---:|---:|---:|---:|---:|",
    ...cold,
    "",
    "## 3. Node server",
    "",
    `autocannon on 127.0.0.1, 10 connections, ${r.seconds} s per run, a dozen request headers. CPU is the`,
    "server process's own (utime + stime from /proc) per request: on two shared cores the load tool and",
    "the server compete, and requests per second alone hide the difference.",
    "",
    "| Server | Req/s | p99 (ms) | CPU µs/request | CPU vs bare | Errors |",
    "|---|---:|---:|---:|---:|---:|",
    ...server,
    "",
    "## 4. Fetch adapter, in process",
    "",
    "A new `Request` per call (a dozen headers), its response read to the end.",
    "",
    "| Handler | hello req/s | echo req/s | time vs raw (hello / echo) |",
    "|---|---:|---:|---:|",
    ...fetch,
    "",
    "## 5. Memory",
    "",
    "A 5 MB binary body (v2 event, base64) through the Lambda handler; the app answers its SHA-256",
    "(echoing it would pass Lambda's 6 MB response limit once base64), checked against the bytes sent.",
    "Peak RSS of a fresh process, and what the invocations added over the RSS after building the event.",
    "",
    "| Handler | ms per invocation | Peak RSS | Added | Byte-exact |",
    "|---|---:|---:|---:|---|",
    ...big,
    "",
    "1 GiB streamed by the Node server in 64 KiB chunks, read and discarded by the client; the server's",
    "RSS from /proc.",
    "",
    "| Server | Seconds | RSS after 64 MiB | Peak RSS | RSS at end |",
    "|---|---:|---:|---:|---:|",
    ...stream,
    "",
    ...renderHonoCorrectness(r.honoCorrectness),
    "",
    "## 7. Workers in workerd",
    "",
    "The raw, Hono and tsgi (`createWorker`) Workers bundled with esbuild and run by the `workerd` binary of",
    `the npm package (a generated capnp config, 127.0.0.1 only); autocannon at 50 connections, a fresh workerd`,
    `per run, 1 s of warm-up then ${r.workerdSeconds} s measured, ${r.workerdRounds} rounds. CPU is the workerd process's own (/proc, all`,
    "threads) per request; the collections are V8's `--trace-gc` lines (a config `v8Flags`) in the measured",
    "window, medians over rounds; the longest pause is over the whole run.",
    "",
    ...workerdTables(r),
    "",
    readFileSync(`${BENCH_DIR}NOTES.md`, "utf8").trim(),
    "",
  ].join("\n");
}

/** bench/results.svg: bars of each peer's ratio to the floor, one group per measurement. */
export function renderSvg(r: Results): string {
  const groups: Array<{ title: string; bars: Array<[string, number]> }> = [
    {
      title: "Lambda v2 echo, handler alone (× raw handler)",
      bars: LAMBDA_PEERS.filter((p) => p !== "raw").map((p) => [p, r.lambda.v2.echo[p].handlerRatio]),
    },
    {
      title: "Lambda v2 echo with the runtime's JSON (× raw handler)",
      bars: LAMBDA_PEERS.filter((p) => p !== "raw").map((p) => [p, r.lambda.v2.echo[p].runtimeRatio]),
    },
    {
      title: "Node server CPU per request (× bare node:http)",
      bars: (["tsgi", "hono"] as const).map((p) => [
        p === "hono" ? "@hono/node-server" : p,
        r.server[p].cpuRatio,
      ]),
    },
    {
      title: "Fetch hello, time per request (× raw fetch handler)",
      bars: (["tsgi", "hono"] as const).map((p) => [p, r.fetch.hello[p].ratio]),
    },
    {
      title: "Workers hello, workerd CPU per request (× raw Worker)",
      bars: (["tsgi", "hono"] as const).map((p) => [p, r.workerd.hello[p].cpuRatio]),
    },
  ];
  const max = Math.max(...groups.flatMap((g) => g.bars.map(([, v]) => v)));
  const width = 720;
  const left = 210;
  const scale = (width - left - 70) / max;
  const rows: string[] = [];
  let y = 20;
  for (const group of groups) {
    rows.push(`<text x="10" y="${y + 12}" font-weight="bold">${group.title}</text>`);
    y += 22;
    for (const [name, value] of group.bars) {
      const fill = name === "tsgi" ? "#2f7d4f" : "#8a94a6";
      rows.push(
        `<text x="${left - 8}" y="${y + 12}" text-anchor="end">${name}</text>`,
        `<rect x="${left}" y="${y}" width="${(value * scale).toFixed(1)}" height="16" fill="${fill}"/>`,
        `<text x="${(left + value * scale + 6).toFixed(1)}" y="${y + 12}">${value.toFixed(2)}×</text>`,
      );
      y += 22;
    }
    y += 10;
  }
  const oneX = (left + scale).toFixed(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<line x1="${oneX}" y1="10" x2="${oneX}" y2="${y}" stroke="#c33" stroke-dasharray="4 3"/>`,
    `<text x="${oneX}" y="${y + 6}" fill="#c33" text-anchor="middle" font-size="10">1× (floor)</text>`,
    ...rows,
    "</svg>",
    "",
  ].join("\n");
}
