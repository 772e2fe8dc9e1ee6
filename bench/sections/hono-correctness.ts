/**
 * Section 6: correctness, side by side. The same Hono app (examples/hono, plus one route that writes
 * as fast as it can) through Hono's own `hono/aws-lambda` and through tsgi (`fromFetch`). Every cell
 * is what came back from running it, never a claim: each event goes through JSON as the Lambda
 * runtime sends it, and each result is read as the front door would deliver it to the client.
 */
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { Hono } from "hono";
import { handle, streamHandle } from "hono/aws-lambda";
import { stream } from "hono/streaming";
import { type StreamingRuntime, createHandler, createStreamingHandler } from "../../adapters/aws-lambda.ts";
import { fromFetch } from "../../adapters/fetch.ts";
import { DOWNLOAD, app as example } from "../../examples/hono/app.ts";
import {
  type WireRequest,
  fromResult,
  toAlbEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toRestEvent,
} from "../../scripts/lambda-events.ts";

export type HonoCorrectnessPeer = "hono" | "tsgi";

export interface HonoCorrectnessRow {
  check: string;
  /** What the client got, in words, per peer. */
  cells: Record<HonoCorrectnessPeer, string>;
  /** Whether that is what the app meant, per peer. */
  right: Record<HonoCorrectnessPeer, boolean>;
}

const FLOOD_CHUNKS = 32;
const FLOOD_SIZE = 1024;
let produced = 0;
/** Called at each write the app's stream accepted: how far it got ahead of the client. */
let onProduced: () => void = () => {};

/** A CSV export in windows-1252, as spreadsheet tools want it: `Café;12` (0xE9 is not UTF-8). */
const CSV = Uint8Array.from([
  ...new TextEncoder().encode("name;n\nCaf"),
  0xe9,
  ...new TextEncoder().encode(";12\n"),
]);

/**
 * The example app, and three routes of the kind apps have: a CSV export in windows-1252, bytes sent
 * without a Content-Type, and `/flood` (32 writes of 1 KiB, each counted once Hono accepted it).
 */
function benchApp(): Hono {
  const app = new Hono();
  app.get("/export.csv", (c) =>
    c.body(CSV.slice(), 200, { "Content-Type": "text/csv; charset=windows-1252" }),
  );
  app.get("/untyped", (c) => c.body(DOWNLOAD.slice()));
  app.get("/flood", (c) =>
    stream(c, async (out) => {
      for (let i = 0; i < FLOOD_CHUNKS; i++) {
        await out.write(new Uint8Array(FLOOD_SIZE).fill(i));
        produced++;
        onProduced();
      }
    }),
  );
  app.route("/", example);
  return app;
}

type Buffered = (event: unknown) => Promise<unknown>;
/** What tsgi's handler logged (Hono's adapter logs to the console, and only on errors). */
const tsgiLog: string[] = [];
const context = { awsRequestId: "correctness", functionName: "hono-correctness" };

function bufferedPeers(): Record<HonoCorrectnessPeer, Buffered> {
  const hono = handle(benchApp());
  const tsgi = createHandler(fromFetch(benchApp().fetch), { log: (line) => tsgiLog.push(line) });
  return {
    hono: (event) => hono(event as never, context as never),
    tsgi: (event) => tsgi(event, context),
  };
}

/** An event as the runtime hands it over: through JSON (an undefined field is gone). */
const wire = (event: unknown): unknown => JSON.parse(JSON.stringify(event));
const HOST: [string, string] = ["Host", "api.example.com"];
const getRequest = (target: string, headers: Array<[string, string]> = [HOST]): WireRequest => ({
  method: "GET",
  target,
  headers,
});

/** Set-Cookie fields as the client receives them, and whether they are exactly the app's two. */
async function cookieCell(invoke: Buffered, toEvent: (r: WireRequest) => unknown) {
  const request: WireRequest = { method: "POST", target: "/login", headers: [HOST] };
  const logged = tsgiLog.length;
  const response = fromResult(await invoke(wire(toEvent(request))), "POST");
  const warned = tsgiLog.slice(logged).some((line) => /cookie/i.test(line));
  const fields = response.headers.filter(([n]) => n.toLowerCase() === "set-cookie").map(([, v]) => v);
  const want = ["session=s3cr3t; Path=/; HttpOnly", "theme=dark; Path=/"];
  const exact = JSON.stringify(fields) === JSON.stringify(want);
  const text =
    fields.length === 0
      ? "no Set-Cookie"
      : exact
        ? "2 Set-Cookie, both intact"
        : `${fields.length} Set-Cookie: ${fields.map((f) => `\`${f.split(";")[0]}\``).join(", ")}`;
  return { text: `${response.status}, ${text}${warned ? " (the drop logged)" : ""}`, right: exact };
}

/** Whether a download arrives byte-exact. */
async function downloadCell(
  invoke: Buffered,
  toEvent: (r: WireRequest) => unknown,
  target = "/download",
  want: Uint8Array = DOWNLOAD,
) {
  const response = fromResult(await invoke(wire(toEvent(getRequest(target)))), "GET");
  const exact = Buffer.from(response.body).equals(Buffer.from(want));
  return {
    text: exact
      ? `${response.status}, ${want.byteLength} bytes exact`
      : `${response.status}, ${response.body.byteLength} bytes, altered`,
    right: exact,
  };
}

/** A binary upload: the app's count and checksum of what it read. */
async function uploadCell(invoke: Buffered, toEvent: (r: WireRequest) => unknown) {
  const body = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) % 256);
  const sum = body.reduce((s, b) => (s + b) % 65521, 0);
  const request: WireRequest = {
    method: "POST",
    target: "/upload",
    headers: [
      HOST,
      ["Content-Type", "application/octet-stream"],
      ["Content-Length", String(body.byteLength)],
    ],
    body,
  };
  const response = fromResult(await invoke(wire(toEvent(request))), "POST");
  let got: { bytes?: number; sum?: number } = {};
  try {
    got = JSON.parse(new TextDecoder().decode(response.body)) as typeof got;
  } catch {
    // Not JSON: reported as is below.
  }
  const exact = got.bytes === body.byteLength && got.sum === sum;
  return {
    text: exact
      ? `${response.status}, 4096 bytes read exact`
      : `${response.status}, read ${got.bytes ?? "?"} bytes, altered`,
    right: exact,
  };
}

/** An event without a Host header (the Lambda console's test events, some health checks). */
async function noHostCell(invoke: Buffered, toEvent: (r: WireRequest) => unknown) {
  const response = fromResult(await invoke(wire(toEvent(getRequest("/hello/x", [])))), "GET");
  const text = new TextDecoder().decode(response.body);
  let url = "";
  try {
    url = (JSON.parse(text) as { url?: string }).url ?? "";
  } catch {
    // Not the route's JSON: the status says what happened.
  }
  const right = response.status === 200 && !/undefined|null/.test(url) && URL.canParse(url);
  return { text: url ? `${response.status}, app saw \`${url}\`` : `${response.status}`, right };
}

/** The streaming handlers, each with a slow client: a Writable taking 5 ms per write, 16-byte buffer. */
async function streamCell(peer: HonoCorrectnessPeer) {
  // A chunk counts as delivered once the client took it (the write's callback), so a gateway that
  // waits for the client shows one chunk in flight, and one that does not shows the pile.
  let delivered = 0;
  let ahead = 0;
  onProduced = () => {
    ahead = Math.max(ahead, produced - delivered);
  };
  const sink = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      setTimeout(() => {
        if (chunk.byteLength > 0) delivered++;
        callback();
      }, 5);
    },
  });
  const runtime: StreamingRuntime = {
    streamifyResponse: (h) => h,
    HttpResponseStream: {
      from: (target) => target,
    },
  };
  produced = 0;
  // A Function URL event (its domain says so): response streaming is a Function URL's (and a REST
  // API's) mode; an HTTP API event is answered buffered, as the front door takes it.
  const event = wire(toFunctionUrlEvent(getRequest("/flood")));
  if (peer === "hono") {
    // streamHandle reads Lambda's `awslambda` global; this run's stand-in takes its place meanwhile.
    const global = globalThis as { awslambda?: StreamingRuntime | undefined };
    const saved = global.awslambda;
    global.awslambda = runtime;
    try {
      await streamHandle(benchApp())(event as never, sink as never, context as never);
    } finally {
      if (saved === undefined) delete global.awslambda;
      else global.awslambda = saved;
    }
  } else {
    await createStreamingHandler(fromFetch(benchApp().fetch), { runtime, log: () => {} })(
      event,
      sink as never,
      context as never,
    );
  }
  await new Promise<void>((resolve) => (sink.writableFinished ? resolve() : sink.once("finish", resolve)));
  return {
    text: `at most ${ahead} of ${FLOOD_CHUNKS} chunks written ahead of the client`,
    right: ahead <= 2,
  };
}

/**
 * Runs every check through both peers.
 *
 * @example
 * ```ts
 * const rows = await runHonoCorrectness(console.log);
 * ```
 */
export async function runHonoCorrectness(log: (line: string) => void): Promise<HonoCorrectnessRow[]> {
  const peers = bufferedPeers();
  const checks: Array<[string, (invoke: Buffered) => Promise<{ text: string; right: boolean }>]> = [
    ["Two cookies, REST API (payload 1.0)", (i) => cookieCell(i, toRestEvent)],
    ["Two cookies, HTTP API (payload 2.0)", (i) => cookieCell(i, toHttpApiEvent)],
    ["Two cookies, ALB multi-value headers", (i) => cookieCell(i, (r) => toAlbEvent(r, true))],
    ["Two cookies, ALB single-value headers", (i) => cookieCell(i, (r) => toAlbEvent(r, false))],
    ["Binary download, REST API", (i) => downloadCell(i, toRestEvent)],
    ["Binary download, HTTP API", (i) => downloadCell(i, toHttpApiEvent)],
    ["Binary download, ALB", (i) => downloadCell(i, (r) => toAlbEvent(r, true))],
    [
      "windows-1252 CSV export (text/csv), HTTP API",
      (i) => downloadCell(i, toHttpApiEvent, "/export.csv", CSV),
    ],
    ["Bytes without a Content-Type, HTTP API", (i) => downloadCell(i, toHttpApiEvent, "/untyped")],
    ["Binary upload, REST API", (i) => uploadCell(i, toRestEvent)],
    ["Binary upload, ALB", (i) => uploadCell(i, (r) => toAlbEvent(r, true))],
    ["Event without Host, REST API", (i) => noHostCell(i, toRestEvent)],
    ["Event without Host, ALB", (i) => noHostCell(i, (r) => toAlbEvent(r, true))],
  ];
  const rows: HonoCorrectnessRow[] = [];
  for (const [check, run] of checks) {
    const hono = await run(peers.hono).catch((error: unknown) => ({
      text: `threw: ${String(error)}`,
      right: false,
    }));
    const tsgi = await run(peers.tsgi).catch((error: unknown) => ({
      text: `threw: ${String(error)}`,
      right: false,
    }));
    rows.push({
      check,
      cells: { hono: hono.text, tsgi: tsgi.text },
      right: { hono: hono.right, tsgi: tsgi.right },
    });
    log(`hono correctness: ${check}: hono ${hono.text}; tsgi ${tsgi.text}`);
  }
  const streaming: Record<HonoCorrectnessPeer, { text: string; right: boolean }> = {
    hono: await streamCell("hono").catch((error: unknown) => ({
      text: `threw: ${String(error)}`,
      right: false,
    })),
    tsgi: await streamCell("tsgi").catch((error: unknown) => ({
      text: `threw: ${String(error)}`,
      right: false,
    })),
  };
  rows.push({
    check: "Streaming backpressure (32 × 1 KiB, client 5 ms per write)",
    cells: { hono: streaming.hono.text, tsgi: streaming.tsgi.text },
    right: { hono: streaming.hono.right, tsgi: streaming.tsgi.right },
  });
  log(`hono correctness: streaming: hono ${streaming.hono.text}; tsgi ${streaming.tsgi.text}`);
  return rows;
}

/** The section's Markdown, for bench/results.md and the README. */
export function renderHonoCorrectness(rows: HonoCorrectnessRow[]): string[] {
  const hono = JSON.parse(
    readFileSync(new URL("../../node_modules/hono/package.json", import.meta.url), "utf8"),
  ) as { version: string };
  const mark = (right: boolean, text: string) => (right ? text : `**${text}**`);
  return [
    "## 6. Correctness: one Hono app, Hono's own Lambda adapter and tsgi",
    "",
    `The same Hono app (examples/hono) through \`handle\` / \`streamHandle\` of \`hono/aws-lambda\` (hono ${hono.version})`,
    "and through tsgi's `createHandler(fromFetch(app.fetch))` / `createStreamingHandler`. Each cell is",
    "what the client got when this run sent the request (events through JSON as the runtime sends them);",
    "bold marks a response that is not what the app sent.",
    "",
    "| Check | hono/aws-lambda | tsgi + fromFetch |",
    "|---|---|---|",
    ...rows.map(
      (r) => `| ${r.check} | ${mark(r.right.hono, r.cells.hono)} | ${mark(r.right.tsgi, r.cells.tsgi)} |`,
    ),
  ];
}
