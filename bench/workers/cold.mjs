// Child process for the cold start: imports one bundle and invokes its handler once with a v2 hello
// event, printing how long each step took inside the process. Plain JavaScript (not .ts): type
// stripping would add its own start-up time to every peer alike.
//
// Usage: node bench/workers/cold.mjs <bundle.mjs> <event.json>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
const t0 = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const result = await handler(event, { awsRequestId: "cold", functionName: "bench" });
const t2 = performance.now();
if (result.statusCode !== 200) throw new Error(`unexpected status ${result.statusCode}`);
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, invokeMs: t2 - t1 })}\n`);
