/**
 * Child process: a 5 MB binary request body (a v2 event, base64) through one Lambda handler, whose
 * app answers the SHA-256 of the bytes it read (echoing them would pass Lambda's 6 MB response limit
 * once base64). Prints the median time per invocation, the peak RSS, and whether every answer is
 * the digest of exactly the bytes sent.
 *
 * Usage: node bench/workers/big-body.ts <tsgi|raw> <invocations>
 */
import { createHash, randomBytes } from "node:crypto";
import { createHandler } from "../../adapters/aws-lambda.ts";
import type { App } from "../../core/index.ts";
import { median } from "../lib/timing.ts";
import { buildEvent, lambdaContext } from "../workload.ts";

interface Result {
  statusCode: number;
  body: string;
  isBase64Encoded: boolean;
}
type Handler = (event: unknown, context: unknown) => Promise<Result>;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const digestApp: App = async (environ, startResponse) => {
  const body = await environ["tsgi.input"].read();
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [Buffer.from(sha256(body))];
};

const raw: Handler = async (event) => {
  const { body, isBase64Encoded } = event as { body: string; isBase64Encoded: boolean };
  const bytes = isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  return {
    statusCode: 200,
    headers: { "content-type": "text/plain" },
    body: sha256(bytes),
    isBase64Encoded: false,
  };
};

const [peer, countText] = process.argv.slice(2) as ["tsgi" | "raw", string];
const handler = peer === "tsgi" ? (createHandler(digestApp) as Handler) : raw;
const sent = randomBytes(5 * 1024 * 1024);
const digest = sha256(sent);
const event = buildEvent("v2", {
  text: sent.toString("base64"),
  base64: true,
  contentType: "application/octet-stream",
});
const context = lambdaContext();
const baselineRss = process.resourceUsage().maxRSS * 1024;

const times: number[] = [];
let exact = true;
for (let i = 0; i < Number(countText); i++) {
  const start = performance.now();
  const result = await handler(event, context);
  times.push(performance.now() - start);
  exact &&= result.statusCode === 200 && !result.isBase64Encoded && result.body === digest;
}
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(
  `${JSON.stringify({ ms: median(times), peakRss, addedRss: peakRss - baselineRss, exact })}\n`,
);
