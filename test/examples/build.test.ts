/**
 * esbuild.config.mjs end to end, into a temporary directory: every bundle exists and runs where it
 * is deployed. Each Lambda bundle is imported and its handler invoked with an HTTP API event; each
 * Worker bundle (with no Node built-in) runs inside workerd with its bindings and passes
 * `wrangler deploy --dry-run --no-bundle`; each lambda.zip holds the bundle; and examples/template.yaml
 * points at zips and handlers that exist.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { crc32, inflateRawSync } from "node:zlib";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltFile, EXAMPLES, buildAll } from "../../esbuild.config.mjs";
import type { LambdaHandler } from "../../adapters/aws-lambda.ts";
import { fromResult, toHttpApiEvent } from "../../scripts/lambda-events.ts";
import { installLocalRuntime } from "../../scripts/lambda-runtime.ts";
import type { TestRequest } from "../conformance/types.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const outdir = mkdtempSync(join(tmpdir(), "tsgi-build-"));
let built: BuiltFile[] = [];
beforeAll(async () => {
  built = await buildAll(outdir);
}, 60_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const path = (example: string, file: string) => join(outdir, example, file);
const get = (target: string, method = "GET", body?: string): TestRequest => ({
  method,
  target,
  headers: [["Host", "example.com"]],
  ...(body === undefined ? {} : { body: new TextEncoder().encode(body) }),
});

/** One HTTP request for each example, and what its answer must contain. */
const PROBES: Record<string, Array<{ request: TestRequest; status: number; contains: string }>> = {
  hello: [{ request: get("/caf%C3%A9"), status: 200, contains: "You asked for /café" }],
  jsonstore: [
    { request: get("/", "PUT", '{"sniffles":[{"rank":"chief"}]}'), status: 200, contains: "sniffles" },
    { request: get("/sniffles/0/rank"), status: 200, contains: '"chief"' },
  ],
  penny: [{ request: get("/search?author=Aus"), status: 200, contains: "Pride and Prejudice" }],
  hono: [{ request: get("/hello/caf%C3%A9"), status: 200, contains: '"hello":"café"' }],
};

/** The files in a zip archive, read from its central directory. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(start, start + zip.readUInt32LE(at + 20)));
    expect(crc32(data), name).toBe(zip.readUInt32LE(at + 16));
    files.set(name, data);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

describe("npm run build: the example bundles", () => {
  it("writes every bundle, and a size for each", () => {
    const expected = EXAMPLES.flatMap((example) =>
      ["lambda/index.mjs", "lambda.zip", "worker/index.js", "node.mjs"].map((file) => path(example, file)),
    );
    expect(built.map((b) => b.file).toSorted()).toEqual(expected.toSorted());
    for (const { file, bytes } of built) expect(existsSync(file) && bytes > 0, file).toBe(true);
  });

  it.each(EXAMPLES)("%s: lambda.zip holds index.mjs at its root", (example) => {
    const files = unzip(readFileSync(path(example, "lambda.zip")));
    expect([...files.keys()]).toEqual(["index.mjs", "index.mjs.map"]);
    expect(files.get("index.mjs")!.equals(readFileSync(path(example, "lambda/index.mjs")))).toBe(true);
  });

  it.each(EXAMPLES)("%s: the Lambda bundle's handler answers an HTTP API event", async (example) => {
    installLocalRuntime(); // the bundle creates its streaming handler at load, as on Lambda
    const bundle = (await import(pathToFileURL(path(example, "lambda/index.mjs")).href)) as {
      handler: LambdaHandler;
      streaming: unknown;
    };
    expect(typeof bundle.streaming).toBe("function");
    for (const { request, status, contains } of PROBES[example]!) {
      const result = await bundle.handler(toHttpApiEvent(request), { awsRequestId: "build-test" });
      const response = fromResult(result, request.method);
      expect(response.status).toBe(status);
      expect(new TextDecoder().decode(response.body)).toContain(contains);
    }
  });

  it.each(EXAMPLES)("%s: the Worker bundle imports no Node built-in", (example) => {
    const code = readFileSync(path(example, "worker/index.js"), "utf8");
    expect(code).not.toMatch(/\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(/);
  });

  it(
    "every Worker bundle answers inside workerd, with its bindings (Miniflare)",
    { timeout: 30_000 },
    async () => {
      const seed = readFileSync(join(ROOT, "examples/penny/penny.sql"), "utf8")
        .split(/;\s*$/m)
        .map((s) => s.replace(/^--.*$/gm, "").trim())
        .filter(Boolean);
      const workers = EXAMPLES.map((example) => ({
        name: example,
        // One ES module, as wrangler uploads it (Miniflare's own default reads a .js file as CommonJS).
        modules: [{ type: "ESModule" as const, path: path(example, "worker/index.js") }],
        // Module names are paths relative to this: one that climbs out with `..` fails to load.
        modulesRoot: path(example, "worker"),
        compatibilityDate: "2026-01-01",
        ...(example === "jsonstore"
          ? { durableObjects: { JSONSTORE: { className: "JsonStoreObject", useSQLite: true } } }
          : {}),
        ...(example === "penny" ? { d1Databases: { DB: "penny" } } : {}),
      }));
      const mf = new Miniflare(convertV4MiniflareOptions({ workers }));
      try {
        const db = await mf.getD1Database("DB", "penny");
        await db.batch(seed.map((sql) => db.prepare(sql)));
        for (const example of EXAMPLES) {
          const worker = await mf.getWorker(example);
          for (const { request, status, contains } of PROBES[example]!) {
            const response = await worker.fetch(`http://example.com${request.target}`, {
              method: request.method,
              ...(request.body ? { body: new TextDecoder().decode(request.body) } : {}),
            });
            expect(response.status, `${example} ${request.method} ${request.target}`).toBe(status);
            expect(await response.text()).toContain(contains);
          }
        }
      } finally {
        await mf.dispose();
      }
    },
  );

  it.each(EXAMPLES)(
    "%s: wrangler accepts the Worker bundle as it is (deploy --dry-run --no-bundle)",
    async (example) => {
      const { stdout } = await promisify(execFile)(
        join(ROOT, "node_modules/.bin/wrangler"),
        [
          "deploy",
          "--dry-run",
          "--no-bundle",
          "--outdir",
          path(example, "wrangler-dry-run"),
          "-c",
          `examples/${example}/wrangler.jsonc`,
          path(example, "worker/index.js"),
        ],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
            WRANGLER_SEND_METRICS: "false",
            WRANGLER_SEND_ERROR_REPORTS: "false",
            XDG_CONFIG_HOME: join(outdir, "wrangler-config"),
          },
        },
      );
      expect(stdout).toContain("--dry-run: exiting now.");
      expect(readFileSync(path(example, "wrangler-dry-run/index.js"))).toEqual(
        readFileSync(path(example, "worker/index.js")),
      );
    },
  );

  it("examples/template.yaml deploys zips the build writes, with handlers their bundles export", async () => {
    const template = readFileSync(join(ROOT, "examples/template.yaml"), "utf8");
    const functions = [
      ...template.matchAll(/CodeUri: \.\.\/build\/examples\/(\w+)\/lambda\.zip\n\s+Handler: index\.(\w+)/g),
    ];
    expect(functions).toHaveLength(EXAMPLES.length * 2);
    for (const [, example, handler] of functions) {
      expect(EXAMPLES).toContain(example);
      const bundle = (await import(pathToFileURL(path(example!, "lambda/index.mjs")).href)) as Record<
        string,
        unknown
      >;
      expect(typeof bundle[handler!], `${example} ${handler}`).toBe("function");
    }
    expect(template.match(/InvokeMode: RESPONSE_STREAM/g)).toHaveLength(EXAMPLES.length);
    expect(template).toMatch(/Runtime: nodejs2[24]\.x/);
  });
});
