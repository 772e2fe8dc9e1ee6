/**
 * Child process: one Node server peer serving one app on 127.0.0.1. Prints `{"port": n}` once
 * listening, then serves until the parent ends it (or closes stdin).
 *
 * Usage: node bench/workers/server.ts <peer> <hello|stream>
 */
import type { ServerApp, ServerPeer } from "../peers/types.ts";

const [peerName, app] = process.argv.slice(2) as [string, ServerApp];
const peer = (await import(`../peers/server-${peerName}.ts`)) as ServerPeer;
const { port } = await peer.start(app);
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
