/**
 * Child process: one Fetch peer, one app. Each request is a new Request (about a dozen headers),
 * handed to the handler, and its response body read to the end. Prints microseconds per request.
 *
 * Usage: node bench/workers/fetch.ts <peer> <hello|echo> <ms>
 */
import type { FetchPeer } from "../peers/types.ts";
import { microsPerCall, median } from "../lib/timing.ts";
import { PAYLOAD_TEXT, requestHeaders } from "../workload.ts";

const [peerName, appName, msText] = process.argv.slice(2) as [string, "hello" | "echo", string];
const ms = Number(msText);
const peer = (await import(`../peers/fetch-${peerName}.ts`)) as FetchPeer;
const handler = peer[appName]();
const url = "https://api.example.com/orders/42/items?page=2&sort=price&q=cr%C3%A8me";
const headers = requestHeaders(appName === "echo" ? "application/json" : undefined);
const init: RequestInit =
  appName === "echo" ? { method: "POST", headers, body: PAYLOAD_TEXT } : { method: "GET", headers };
const once = async () => {
  const response = await handler(new Request(url, init));
  await response.arrayBuffer();
};

await microsPerCall(once, ms / 2);
const samples: number[] = [];
for (let i = 0; i < 3; i++) samples.push(await microsPerCall(once, ms / 3));
process.stdout.write(`${JSON.stringify({ us: median(samples) })}\n`);
