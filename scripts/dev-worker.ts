/**
 * `npm run dev:worker -- [example]`: the example as a Cloudflare Worker under `wrangler dev --local`
 * (workerd, with local Durable Objects and D1) on 127.0.0.1 ($PORT, default 8787), offline: no
 * metrics, no error reports, no fetch of the `cf` object. Penny's local D1 is seeded from penny.sql
 * first (idempotent: CREATE ... IF NOT EXISTS, INSERT OR IGNORE). Local state (the JSONStore's
 * document, Penny's D1) lives in .wrangler/state/<example>, or in $PERSIST_TO. wrangler's own line per
 * request is written in the access log format of `tsgi serve` (`--no-access-log` keeps wrangler's).
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { formatAccessLog } from "../adapters/node/access-log.ts";
import { EXAMPLES } from "../esbuild.config.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The D1 databases to seed before starting, by example: [binding, SQL file]. */
const SEEDS: Record<string, [string, string]> = { penny: ["DB", "examples/penny/penny.sql"] };

const { positionals, values } = parseArgs({
  options: { "no-access-log": { type: "boolean" } },
  allowPositionals: true,
});
const example = positionals[0] ?? process.env.EXAMPLE ?? "hello";
if (!EXAMPLES.includes(example)) {
  console.error(`usage: npm run dev:worker -- [${EXAMPLES.join("|")}] [--no-access-log]`);
  process.exit(2);
}
const config = `examples/${example}/wrangler.jsonc`;
const persist = process.env.PERSIST_TO ?? `.wrangler/state/${example}`;
const wrangler = join(ROOT, "node_modules/.bin/wrangler");
const env = {
  ...process.env,
  // wrangler needs node >= 22: the project's own, not whatever else is on PATH.
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

const seed = SEEDS[example];
if (seed) {
  const [binding, file] = seed;
  const args = ["d1", "execute", binding, "--local", "--file", file, "-c", config, "--persist-to", persist];
  const result = spawnSync(wrangler, args, { cwd: ROOT, env, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`seeding ${binding} from ${file} failed:\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  console.log(`seeded the local D1 ${binding} from ${file}`);
}

const port = process.env.PORT ?? "8787";
const args = ["dev", "-c", config, "--local", "--ip", "127.0.0.1", "--port", port, "--persist-to", persist];
const accessLog = !values["no-access-log"];
const child = spawn(wrangler, args, {
  cwd: ROOT,
  env,
  stdio: ["inherit", accessLog ? "pipe" : "inherit", "inherit"],
});
// wrangler logs each request as `[wrangler:info] GET /caf%C3%A9 200 OK (53ms)`: the same request in
// the access log format of `tsgi serve` and dev:lambda. wrangler does not say the body size, the
// referer or the user agent: those fields are "-". Everything else passes through as it is.
const WRANGLER_REQUEST = /^\[wrangler:info\] ([A-Z]+) (\S+) (\d{3})\b[^(]*\((\d+)ms\)\s*$/;
if (child.stdout) {
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
    // oxlint-disable-next-line no-control-regex -- wrangler colours its lines when it can
    const match = WRANGLER_REQUEST.exec(line.replace(/\u001b\[[0-9;]*m/g, ""));
    if (!match) return void console.log(line);
    const [, method, target, status, ms] = match;
    const durationMs = Number(ms);
    console.log(
      formatAccessLog({
        remoteAddr: "127.0.0.1", // wrangler dev listens on 127.0.0.1 only
        time: new Date(Date.now() - durationMs),
        method: method!,
        target: target!,
        protocol: "HTTP/1.1",
        status: Number(status),
        bytes: undefined,
        referer: undefined,
        userAgent: undefined,
        durationMs,
      }),
    );
  });
}
// wrangler stops workerd itself on SIGINT/SIGTERM: pass them on, and leave with its exit code.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
