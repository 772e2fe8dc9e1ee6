/**
 * A CPU profile of one Worker inside workerd, through its inspector (Chrome DevTools protocol):
 * `node bench/profile-workerd.ts <raw|hono|tsgi> <hello|echo> [seconds]`. Loads it with autocannon
 * as the workerd section does, then prints the functions with the most self time (and writes the
 * `.cpuprofile` under bench/.work/ for DevTools). Not part of `npm run bench`.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { BENCH_DIR } from "./lib/proc.ts";
import { WORKERD, bundleWorker } from "./lib/workerd.ts";
import { PAYLOAD_TEXT, requestHeaders } from "./workload.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocNode[];
}

const [peer = "tsgi", app = "hello", secondsText = "3"] = process.argv.slice(2) as [
  string,
  "hello" | "echo",
  string,
];
const config = process.env.CONFIG ?? (await bundleWorker(peer, app));
const inspectorPort = 9300 + Math.floor(Math.random() * 500);
const workerd = spawn(
  WORKERD,
  ["serve", config, "--control-fd=3", `--inspector-addr=127.0.0.1:${inspectorPort}`],
  {
    stdio: ["ignore", "ignore", "ignore", "pipe"],
  },
);
try {
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: workerd.stdio[3] as NodeJS.ReadableStream }).on("line", (line) => {
      const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
      if (message.event === "listen" && message.socket === "http" && message.port) resolve(message.port);
    });
  });
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });

  const url = `http://127.0.0.1:${port}/orders/42/items?page=2&sort=price`;
  const options =
    app === "echo"
      ? { method: "POST" as const, headers: requestHeaders("application/json"), body: PAYLOAD_TEXT }
      : { method: "GET" as const, headers: requestHeaders() };
  await autocannon({ url, connections: 50, duration: 1, ...options });
  if (process.env.ALLOC) {
    // Allocation sampling (every 4 KiB on average), collected objects included: bytes per request.
    await send("HeapProfiler.enable");
    await send("HeapProfiler.startSampling", {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const result = await autocannon({ url, connections: 50, duration: Number(secondsText), ...options });
    const { profile } = (await send("HeapProfiler.stopSampling")) as { profile: { head: AllocNode } };
    socket.close();
    const bytes = new Map<string, number>();
    let all = 0;
    const walk = (node: AllocNode) => {
      const { functionName, url: file, lineNumber } = node.callFrame;
      const key = `${functionName || "(anonymous)"} ${file.split("/").at(-1) ?? ""}:${lineNumber + 1}`;
      bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
      all += node.selfSize;
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    const n = result.requests.total;
    console.log(`${n} requests; ${(all / n).toFixed(0)} bytes allocated per request (sampled), by function:`);
    for (const [key, size] of [...bytes].toSorted((a, b) => b[1] - a[1]).slice(0, 25)) {
      console.log(`${(size / n).toFixed(0).padStart(6)} B  ${key}`);
    }
  } else {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: 100 });
    await send("Profiler.start");
    const result = await autocannon({ url, connections: 50, duration: Number(secondsText), ...options });
    const { profile } = (await send("Profiler.stop")) as {
      profile: { nodes: ProfileNode[]; startTime: number; endTime: number };
    };
    socket.close();
    writeFileSync(`${BENCH_DIR}.work/workerd-${peer}-${app}.cpuprofile`, JSON.stringify(profile));

    const self = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      total += hits;
      const { functionName, url: file, lineNumber } = node.callFrame;
      const key = `${functionName || "(anonymous)"} ${file.split("/").at(-1) ?? ""}:${lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + hits);
    }
    // Microseconds of the isolate's thread per request, by function (self time).
    const usPerHit = (profile.endTime - profile.startTime) / total;
    const perRequest = (hits: number) => ((hits * usPerHit) / result.requests.total).toFixed(2).padStart(6);
    console.log(`${result.requests.total} requests; µs per request (self), share of samples:`);
    const rows = [...self].toSorted((a, b) => b[1] - a[1]).slice(0, 30);
    for (const [key, hits] of rows) {
      console.log(`${perRequest(hits)} µs ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
    }
  }
} finally {
  workerd.kill("SIGTERM");
}
