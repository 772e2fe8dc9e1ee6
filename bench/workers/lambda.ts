/**
 * Child process: one Lambda peer, one event kind, one app. Prints JSON with microseconds per
 * invocation for the handler alone, and with the runtime's own work around it (JSON.parse of the
 * event text, JSON.stringify of the result), measured in alternating slices.
 *
 * `ms` is the measured time (both paths together); a warm-up of half as long comes first. Runs
 * much shorter than a second (the first harness used 200 ms) catch the JIT before it settles and so
 * favour the smallest code rather than the fastest: tsgi's v2 echo read 19.8 µs in 200 ms runs and
 * 14.6 µs in 1 s runs, while the raw handler read the same in both.
 *
 * Usage: node bench/workers/lambda.ts <peer> <v1|v2|alb> <hello|echo> <ms>
 */
import type { LambdaPeer } from "../peers/types.ts";
import { microsPerCall, median } from "../lib/timing.ts";
import { ECHO_BODY, type EventKind, buildEvent, lambdaContext } from "../workload.ts";

const [peerName, kind, appName, msText] = process.argv.slice(2) as [
  string,
  EventKind,
  "hello" | "echo",
  string,
];
const ms = Number(msText);
const peer = (await import(`../peers/lambda-${peerName}.ts`)) as LambdaPeer;
const handler = peer[appName]() as (event: unknown, context: unknown) => Promise<unknown>;
const event = buildEvent(kind, appName === "echo" ? ECHO_BODY : undefined);
const eventText = JSON.stringify(event);
const context = lambdaContext();

const alone = () => handler(event, context);
const withRuntime = async () => JSON.stringify(await handler(JSON.parse(eventText), context));

// Warm up both paths until the JIT settles (ms / 2 in all), then alternate three slices of each
// (ms in all) so that drift hits both alike; the median slice of each is reported.
await microsPerCall(alone, ms / 3);
await microsPerCall(withRuntime, ms / 6);
const handlerUs: number[] = [];
const runtimeUs: number[] = [];
for (let i = 0; i < 3; i++) {
  handlerUs.push(await microsPerCall(alone, ms / 6));
  runtimeUs.push(await microsPerCall(withRuntime, ms / 6));
}
process.stdout.write(`${JSON.stringify({ handlerUs: median(handlerUs), runtimeUs: median(runtimeUs) })}\n`);
