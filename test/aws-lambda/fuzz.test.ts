/**
 * A seeded, bounded fuzzer of Lambda events: mutations of every AWS sample (and of the conformance
 * mappers' events) through the buffered handler. Whatever the mutation, the handler never throws a
 * raw TypeError (only a documented TsgiError for shapes that are not HTTP), and every environ the app
 * sees holds strings of code units <= 0xFF in its CGI keys (spec rules 3 and 4).
 *
 * Every tenth case goes through the streaming handler instead. `npm test` runs TSGI_FUZZ_CASES
 * cases (default 3000); set it higher to search longer, and TSGI_FUZZ_SEED to replay another sequence.
 */
import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { type StreamingRuntime, createHandler, createStreamingHandler } from "../../adapters/aws-lambda.ts";
import * as httpApi from "../../adapters/aws-lambda/http-api.ts";
import { TsgiError } from "../../core/index.ts";
import type { App } from "../../core/index.ts";
import {
  toAlbEvent,
  toEdgeEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toLatticeEvent,
  toRestEvent,
} from "../../scripts/lambda-events.ts";
import { loadSamples } from "./samples.ts";
import { seededRandom } from "../support/random.ts";

const CASES = Number(process.env.TSGI_FUZZ_CASES ?? 3000);
const SEED = Number(process.env.TSGI_FUZZ_SEED ?? 0x7e57);

const VALUES: unknown[] = [
  null,
  undefined,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  "",
  "x",
  "/",
  "//a/../b",
  "caf\u00e9",
  "\u2603\ud83d\ude00",
  "\ud800",
  "a\r\nb",
  "\u0000",
  "%zz%",
  "not base64!",
  "aGk=",
  [],
  ["a", 1],
  [null],
  [{}],
  {},
  { a: "b" },
  { a: ["b", 2] },
  { key: "K", value: 1 },
  [{ key: 1, value: "v" }],
];

type Json = Record<string, unknown> | unknown[];

/** Every container and key of a JSON tree, as paths. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      paths((value as Record<string, unknown>)[key], path, out);
    }
  }
  return out;
}

/** A deep copy of `event` with one to three fields replaced, removed, or changed in type. */
function mutate(event: unknown, next: () => number): unknown {
  const copy = structuredClone(event) as Json;
  const all = paths(copy);
  const count = 1 + Math.floor(next() * 3);
  for (let i = 0; i < count && all.length; i++) {
    const path = all[Math.floor(next() * all.length)]!;
    let parent: unknown = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)?.[key];
    if (typeof parent !== "object" || parent === null) continue;
    const key = path.at(-1)!;
    const value = VALUES[Math.floor(next() * VALUES.length)];
    if (value === undefined && !Array.isArray(parent))
      delete (parent as Record<string | number, unknown>)[key];
    else (parent as Record<string | number, unknown>)[key] = structuredClone(value);
  }
  return copy;
}

const request = {
  method: "POST",
  target: "/a%20b/c?x=1&y=%C3%A9&x=2",
  headers: [
    ["Host", "example.com"],
    ["Cookie", "a=1; b=2"],
    ["X-Forwarded-For", "6.6.6.6"],
    ["Content-Type", "text/plain"],
  ] as Array<[string, string]>,
  body: new TextEncoder().encode("hello"),
};
const BASES: unknown[] = [
  ...loadSamples()
    .filter((s) => s.folder !== "invalid")
    .map((s) => s.event),
  toRestEvent(request),
  toHttpApiEvent(request),
  toFunctionUrlEvent(request),
  toAlbEvent(request, true),
  toAlbEvent(request, false),
  toLatticeEvent(request),
  toEdgeEvent(request, "viewer-request"),
  toEdgeEvent(request, "origin-request"),
];

describe("aws-lambda: event fuzzer", () => {
  it(`${CASES} mutated events (seed ${SEED}): no TypeError, no non-string or wide CGI value`, async () => {
    const problems: string[] = [];
    let environProblem: string | undefined;
    const app: App = async (environ, startResponse) => {
      for (const [key, value] of Object.entries(environ)) {
        if (key.includes(".")) continue;
        // oxlint-disable-next-line no-control-regex
        if (typeof value !== "string" || /[^\u0000-\u00ff]/.test(value))
          environProblem = `${key} = ${JSON.stringify(value)}`;
      }
      await environ["tsgi.input"].read();
      startResponse("200 OK", [["Content-Type", "application/octet-stream"]]);
      return [new Uint8Array([0xff])];
    };
    const handler = createHandler(app, { log: () => {} });
    // Every tenth case from a payload 2.0 event also goes through tsgi/aws-lambda/http-api.
    const v2Handler = httpApi.createHandler(app, { log: () => {} });
    const runtime: StreamingRuntime = {
      streamifyResponse: (h) => h,
      HttpResponseStream: { from: (stream) => stream },
    };
    const streaming = createStreamingHandler(app, { log: () => {}, runtime });
    const sink = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const next = seededRandom(SEED);
    let served = 0;
    for (let i = 0; i < CASES && problems.length < 5; i++) {
      const base = BASES[i % BASES.length];
      const event = mutate(base, next);
      environProblem = undefined;
      try {
        const context = { awsRequestId: `fuzz-${i}` };
        if (i % 10 === 9) await streaming(event, sink() as never, context);
        else if (i % 10 === 4 && (base as { version?: unknown }).version === "2.0")
          JSON.stringify(await v2Handler(event, context));
        else JSON.stringify(await handler(event, context));
        served++;
      } catch (error) {
        if (!(error instanceof TsgiError))
          problems.push(`case ${i}: ${String(error)} for ${JSON.stringify(event)}`);
      }
      if (environProblem) problems.push(`case ${i}: environ ${environProblem} for ${JSON.stringify(event)}`);
    }
    expect(problems).toEqual([]);
    // Most mutations still reach a result (a 200 or a 400): the fuzzer is not merely refused.
    expect(served).toBeGreaterThan(CASES / 2);
  });
});
