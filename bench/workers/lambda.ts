/**
 * Child process: one Lambda peer, one event kind, one app. Prints JSON with microseconds per
 * invocation for the handler alone, and with the runtime's own work around it (JSON.parse of the
 * event text, JSON.stringify of the result), measured in alternating slices.
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

// Warm up both paths until the JIT settles, then alternate slices so drift hits both alike.
await microsPerCall(alone, ms / 2);
await microsPerCall(withRuntime, ms / 4);
const handlerUs: number[] = [];
const runtimeUs: number[] = [];
for (let i = 0; i < 3; i++) {
  handlerUs.push(await microsPerCall(alone, ms / 3));
  runtimeUs.push(await microsPerCall(withRuntime, ms / 3));
}
process.stdout.write(`${JSON.stringify({ handlerUs: median(handlerUs), runtimeUs: median(runtimeUs) })}\n`);
