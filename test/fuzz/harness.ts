/**
 * The raw-HTTP fuzzer: each seeded case goes, byte for byte, to bare node:http (the reference), to
 * `serve()`, and to `createListener` on a plain node:http server, and their answers are compared.
 * Checked for every case: where Node answers, tsgi answers too (no silent close); every refusal
 * (a 4xx/5xx: the app itself always answers 200) and every close by the server leaves a log line
 * naming the request or the connection; a 200 carries the tag of its own request (no mixing);
 * every body the app returned is closed exactly once; nothing crashes or rejects unhandled.
 * @module
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerHandle, createListener, serve } from "../../adapters/node.ts";
import { type App, type Body, createErrorStream } from "../../core/index.ts";
import { type FuzzCase, fuzzCase } from "./generate.ts";
import { exchange } from "./wire.ts";

export interface FuzzFailure {
  index: number;
  kind: "silent-close" | "unlogged" | "mixing" | "close-count" | "crash";
  target: "serve" | "listener";
  detail: string;
  summary: string[];
}

export interface FuzzReport {
  seed: number;
  cases: number;
  /** serve()'s final statuses, counted; `closed` and `no answer` count connections. */
  statuses: Record<string, number>;
  /** Cases where Node answered something serve() or the listener did not. */
  silentCloses: number;
  /** Requests the app served (a body returned), and how many of those bodies were closed once. */
  bodies: number;
  closedOnce: number;
  refusals: number;
  loggedRefusals: number;
  crashes: number;
  unhandledRejections: number;
  failures: FuzzFailure[];
  ms: number;
}

const TAG = /r\d+-\d+/;

/** Lines of the log, indexed by the request tags and client ports they name. */
class LogIndex {
  readonly #byKey = new Map<string, string[]>();
  add = (line: string): void => {
    const keys = new Set<string>();
    for (const m of line.matchAll(/r\d+-\d+/g)) keys.add(m[0]);
    for (const m of line.matchAll(/127\.0\.0\.1:(\d+)/g)) keys.add(`port:${m[1]}`);
    for (const key of keys) {
      const lines = this.#byKey.get(key) ?? [];
      lines.push(line);
      this.#byKey.set(key, lines);
    }
  };
  about(keys: string[]): string[] {
    return keys.flatMap((k) => this.#byKey.get(k) ?? []);
  }
}

/** The app under test: reads the whole body, then answers `tag=<the tag in PATH_INFO>`; counts close(). */
function fuzzApp(closes: Map<string, number>, name: string): App {
  let serial = 0;
  return async (environ, startResponse) => {
    await environ["tsgi.input"].read();
    const tag = TAG.exec(environ.PATH_INFO)?.[0] ?? "none";
    const key = `${name}:${tag}:${serial++}`;
    closes.set(key, 0);
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    const body: Body = Object.assign([new TextEncoder().encode(`tag=${tag}`)], {
      close: () => void closes.set(key, (closes.get(key) ?? 0) + 1),
    });
    return body;
  };
}

/** bare node:http's answer to the same request: read the body, echo the tag. */
function reference(req: IncomingMessage, res: ServerResponse): void {
  req.on("error", () => undefined);
  req.resume();
  req.on("end", () => res.end(`tag=${TAG.exec(req.url ?? "")?.[0] ?? "none"}`));
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

/**
 * Runs `count` cases of the stream seeded `seed`, `concurrency` connections at a time.
 *
 * @example
 * ```ts
 * const report = await runFuzz({ seed: 1, count: 200 });
 * ```
 */
export async function runFuzz(options: {
  seed: number;
  count: number;
  concurrency?: number;
  idleMs?: number;
  onProgress?: (done: number) => void;
}): Promise<FuzzReport> {
  const started = Date.now();
  const { seed, count } = options;
  const idleMs = options.idleMs ?? 300;
  const logs = new LogIndex();
  const errors = createErrorStream(logs.add);
  const closes = new Map<string, number>();
  let unhandledRejections = 0;
  let crashes = 0;
  const onRejection = () => void unhandledRejections++;
  const onCrash = () => void crashes++;
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onCrash);

  const ref = createServer(reference);
  const plain = createServer(createListener(fuzzApp(closes, "listener"), { errors }));
  let handle: ServerHandle | undefined;
  const report: FuzzReport = {
    seed,
    cases: count,
    statuses: {},
    silentCloses: 0,
    bodies: 0,
    closedOnce: 0,
    refusals: 0,
    loggedRefusals: 0,
    crashes: 0,
    unhandledRejections: 0,
    failures: [],
    ms: 0,
  };
  try {
    handle = await serve(fuzzApp(closes, "serve"), { port: 0, errors });
    const ports = { ref: await listen(ref), serve: handle.port, listener: await listen(plain) };
    const fail = (c: FuzzCase, kind: FuzzFailure["kind"], target: FuzzFailure["target"], detail: string) =>
      report.failures.push({ index: c.index, kind, target, detail, summary: c.summary });

    const runCase = async (index: number) => {
      const c = fuzzCase(seed, index);
      const [node, served, listened] = await Promise.all([
        exchange(ports.ref, c, idleMs),
        exchange(ports.serve, c, idleMs),
        exchange(ports.listener, c, idleMs),
      ]);
      // Log lines may trail the last byte by a turn or two.
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const [target, got] of [
        ["serve", served],
        ["listener", listened],
      ] as const) {
        const refused = got.statuses.some((s) => s >= 400);
        if (got.statuses.length < node.statuses.length && !refused) {
          fail(
            c,
            "silent-close",
            target,
            `node ${node.statuses.join(",")} vs ${got.statuses.join(",") || "nothing"}`,
          );
        }
        got.tags.forEach((tag, i) => {
          if (tag !== "" && tag !== c.tags[i] && tag !== "none")
            fail(c, "mixing", target, `response ${i} carries ${tag}`);
        });
        if (target !== "serve") continue;
        const lines = logs.about([...c.tags, `port:${got.port}`]);
        for (const status of got.statuses) {
          report.statuses[status] = (report.statuses[status] ?? 0) + 1;
          if (status >= 400) report.refusals++;
        }
        const refusals = got.statuses.filter((s) => s >= 400).length;
        const answered = got.statuses.length;
        if (refusals > 0) {
          if (lines.length >= 1) report.loggedRefusals += refusals;
          else fail(c, "unlogged", target, `statuses ${got.statuses.join(",")}, no log line`);
        }
        if (got.closedByServer && answered < c.tags.length && refusals === 0 && lines.length === 0) {
          fail(c, "unlogged", target, `closed after ${answered} of ${c.tags.length} answers, no log line`);
        }
        const outcome = got.closedByServer ? "closed" : answered < c.tags.length ? "no answer" : "answered";
        report.statuses[outcome] = (report.statuses[outcome] ?? 0) + 1;
      }
    };

    let next = 0;
    let finished = 0;
    const worker = async () => {
      while (next < count) {
        await runCase(next++);
        options.onProgress?.(++finished);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 24 }, worker));
  } finally {
    await handle?.close();
    await new Promise<void>((resolve) => {
      plain.close(() => resolve());
      plain.closeAllConnections();
    });
    await new Promise<void>((resolve) => {
      ref.close(() => resolve());
      ref.closeAllConnections();
    });
    // Bodies of requests cut off at the end close a moment later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onCrash);
  }
  report.bodies = closes.size;
  for (const [key, n] of closes) {
    if (n === 1) report.closedOnce++;
    else
      report.failures.push({
        index: Number(/r(\d+)-/.exec(key)?.[1] ?? -1),
        kind: "close-count",
        target: key.startsWith("serve") ? "serve" : "listener",
        detail: `${key} closed ${n} times`,
        summary: [],
      });
  }
  report.silentCloses = report.failures.filter((f) => f.kind === "silent-close").length;
  report.crashes = crashes;
  report.unhandledRejections = unhandledRejections;
  report.ms = Date.now() - started;
  return report;
}
