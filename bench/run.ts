/**
 * `npm run bench`: tsgi side by side with what a user would pick instead, in one run. Writes
 * bench/results.md and bench/results.svg. `BENCH_ROUNDS` (default 5) sets the rounds
 * (the Lambda section's too, at least 5 each); a quick look
 * at one section: `node bench/run.ts lambda` (then nothing is written).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { BENCH_DIR } from "./lib/proc.ts";
import { renderMarkdown, renderSvg, type Results } from "./report.ts";
import { runCold } from "./sections/cold.ts";
import { runFetch } from "./sections/fetch.ts";
import { renderHonoCorrectness, runHonoCorrectness } from "./sections/hono-correctness.ts";
import { runLambda } from "./sections/lambda.ts";
import { runBigBody, runStream } from "./sections/memory.ts";
import { runServers } from "./sections/server.ts";
import { runWorkerd } from "./sections/workerd.ts";

const rounds = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 5));
const only = process.argv[2];
const SERVER_SECONDS = 3;
// workerd: 3 rounds of 3 s measured after 1 s of warm-up per Worker per app (about 90 s in all).
const WORKERD_ROUNDS = 3;
const WORKERD_SECONDS = 3;
// Lambda cells: 0.8 s measured after 0.4 s of warm-up per peer per round (see workers/lambda.ts):
// shorter runs leave the JIT unsettled and favour the smallest code. About 45 s per round, so the
// 5 rounds the method asks for keep the whole run near 6 minutes.
const LAMBDA_MS = 800;
const lambdaRounds = rounds;
const started = performance.now();
const log = (line: string) => {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[${elapsed} s] ${line}`);
};

const results: Partial<Results> = { rounds, lambdaRounds, lambdaMs: LAMBDA_MS, seconds: SERVER_SECONDS };
if (!only || only === "lambda") results.lambda = await runLambda(lambdaRounds, LAMBDA_MS, log);
if (!only || only === "cold") results.cold = await runCold(3 * rounds, log);
if (!only || only === "server") results.server = await runServers(rounds, SERVER_SECONDS, log);
if (!only || only === "fetch") results.fetch = await runFetch(rounds, 300, log);
if (!only || only === "workerd") {
  results.workerd = await runWorkerd(WORKERD_ROUNDS, WORKERD_SECONDS, log);
  results.workerdRounds = WORKERD_ROUNDS;
  results.workerdSeconds = WORKERD_SECONDS;
}
if (!only || only === "memory") {
  results.bigBody = await runBigBody(rounds, log);
  results.stream = { bare: await runStream("bare", log), tsgi: await runStream("tsgi", log) };
}
if (!only || only === "hono") results.honoCorrectness = await runHonoCorrectness(log);
if (only === "hono") console.log(renderHonoCorrectness(results.honoCorrectness!).join("\n"));
if (!only) {
  writeFileSync(`${BENCH_DIR}results.md`, renderMarkdown(results as Results));
  writeFileSync(`${BENCH_DIR}results.svg`, renderSvg(results as Results));
  // Laid out as the formatter wants it, so that `npm test` (oxfmt --check) passes on the result.
  execFileSync(`${BENCH_DIR}../node_modules/.bin/oxfmt`, [`${BENCH_DIR}results.md`]);
  log("wrote bench/results.md and bench/results.svg");
}
