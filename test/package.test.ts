/**
 * The package as a user installs it: `npm pack` (its prepack builds dist/ and leaves the `source`
 * condition out of the manifest) in a copy of the repository, the tarball installed offline into a
 * fresh project, and every entry used from there as a consumer would: imported from ESM, required
 * from CommonJS (Node's require(esm)), typechecked under `moduleResolution` nodenext and bundler,
 * bundled into a Lambda handler by esbuild, and the `tsgi` command run.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LambdaHandler } from "../adapters/aws-lambda.ts";
import { fromResult, toHttpApiEvent } from "../scripts/lambda-events.ts";

const ROOT = resolve(import.meta.dirname, "..");
const MANIFEST = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};
/** The entries, as a consumer imports them: "tsgi", "tsgi/node", ... */
const ENTRIES = Object.keys(MANIFEST.exports)
  .filter((subpath) => subpath !== "./package.json")
  .map((subpath) => (subpath === "." ? "tsgi" : `tsgi/${subpath.slice(2)}`));

let work: string;
let consumer: string;
let packed: { size: number; files: Array<{ path: string }> };
let published: typeof MANIFEST & { engines: { node: string } };

/** npm with this test's own settings only (not those `npm test` passes to its scripts). */
function npm(args: string[], cwd: string): string {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) || /^npm_config_(cache|registry)$/i.test(key),
    ),
  );
  return execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function run(args: string[], cwd = consumer) {
  return spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: 20_000 });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "tsgi-package-"));
  // A copy of what `npm pack` reads, so that its prepack (which rewrites package.json for the
  // length of the pack) never touches the repository the other tests are running in.
  const repo = join(work, "repo");
  for (const path of ["core", "adapters", "bin", "scripts/pack.ts"]) {
    cpSync(join(ROOT, path), join(repo, path), { recursive: true });
  }
  for (const file of ["package.json", "README.md", "LICENSE", "tsconfig.json", "tsconfig.build.json"]) {
    cpSync(join(ROOT, file), join(repo, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
  const [info] = JSON.parse(npm(["pack", "--json", "--pack-destination", work], repo)) as Array<
    typeof packed & { filename: string }
  >;
  packed = info!;
  expect(readFileSync(join(repo, "package.json"), "utf8"), "postpack restores package.json").toBe(
    readFileSync(join(ROOT, "package.json"), "utf8"),
  );
  const tarball = join(work, info!.filename);

  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  // The tarball has no dependencies: installing it needs no registry.
  npm(["install", "--offline", "--no-audit", "--no-fund", tarball], consumer);
  symlinkSync(join(ROOT, "node_modules", "@types"), join(consumer, "node_modules", "@types"));
  published = JSON.parse(
    readFileSync(join(consumer, "node_modules", "tsgi", "package.json"), "utf8"),
  ) as typeof published;
}, 90_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed tarball", () => {
  it("holds the library, its types, the CLI, README and LICENSE: no example, no source map, at most 150 KB", () => {
    const files = packed.files.map((f) => f.path);
    expect(packed.size).toBeLessThanOrEqual(150_000);
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "bin/tsgi.mjs"]));
    expect(files.filter((f) => !/^(dist\/(core|adapters|bin)\/|bin\/tsgi\.mjs$|[A-Z]+)/.test(f))).toEqual([
      "package.json",
    ]);
    expect(files.filter((f) => /examples|\.map$|\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("every exports condition and the bin point at a file it ships", () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const [subpath, target] of Object.entries(published.exports)) {
      const targets = typeof target === "string" ? { default: target } : target;
      expect(Object.keys(targets), subpath).not.toContain("source");
      for (const [condition, file] of Object.entries(targets)) {
        expect(files.has(file.replace(/^\.\//, "")), `${subpath} ${condition}: ${file}`).toBe(true);
      }
    }
    for (const file of Object.values(published.bin)) expect(files.has(file.replace(/^\.\//, ""))).toBe(true);
  });
});

describe("installed from the tarball", () => {
  it.each([[[]], [["--conditions=source"]]])("every entry imports from plain ESM (node %j)", (flags) => {
    const code = `for (const name of ${JSON.stringify(ENTRIES)}) console.log(name, Object.keys(await import(name)).length);`;
    const out = run([...flags, "--input-type=module", "-e", code]);
    expect(out.stderr).toBe("");
    for (const line of out.stdout.trim().split("\n"))
      expect(Number(line.split(" ")[1]), line).toBeGreaterThan(0);
    expect(out.stdout.trim().split("\n")).toHaveLength(ENTRIES.length);
  });

  it("every entry loads with require() from CommonJS (require(esm), Node >= 20.19)", () => {
    writeFileSync(
      join(consumer, "main.cjs"),
      `for (const name of ${JSON.stringify(ENTRIES)}) console.log(name, Object.keys(require(name)).length);`,
    );
    const out = run(["main.cjs"]);
    expect(out.stderr).toBe("");
    expect(out.stdout.trim().split("\n")).toHaveLength(ENTRIES.length);
    for (const line of out.stdout.trim().split("\n"))
      expect(Number(line.split(" ")[1]), line).toBeGreaterThan(0);
  });

  it("serves a request through tsgi/node from plain JavaScript", () => {
    writeFileSync(
      join(consumer, "main.mjs"),
      `import { serve } from "tsgi/node";
       const s = await serve((e, start) => { start("200 OK", []); return [new TextEncoder().encode(e.PATH_INFO)]; }, { port: 0 });
       const res = await fetch(s.url + "caf%C3%A9");
       console.log(res.status, await res.text());
       await s.close();`,
    );
    expect(run(["main.mjs"]).stdout.trim()).toBe("200 /caf\u00c3\u00a9");
  });

  it.each(["nodenext", "bundler"])("typechecks an app under moduleResolution %s", (resolution) => {
    writeFileSync(
      join(consumer, "app.ts"),
      `import type { App } from "tsgi";
       import { latin1ToUtf8, validate } from "tsgi";
       import { serve } from "tsgi/node";
       import { createHandler } from "tsgi/aws-lambda";
       import { createWorker } from "tsgi/cloudflare";
       import { createFetchHandler } from "tsgi/fetch";
       import { runCgi } from "tsgi/cgi";
       export const app: App = (environ, startResponse) => {
         startResponse("200 OK", [["Content-Type", "text/plain"]]);
         return [new TextEncoder().encode(latin1ToUtf8(environ.PATH_INFO))];
       };
       export const handler = createHandler(validate(app));
       export const worker = createWorker(app);
       export const fetchHandler: (request: Request) => Promise<Response> = createFetchHandler(app);
       export const started = () => serve(app, { port: 0, accessLog: true });
       export const cgi = () => runCgi(app);
       // The types are real, not any: a header that is not a pair is refused.
       // @ts-expect-error
       export const bad: App = (_environ, startResponse) => { startResponse("200 OK", [["X"]]); return []; };
       `,
    );
    const module = resolution === "bundler" ? "preserve" : "nodenext";
    writeFileSync(
      join(consumer, `tsconfig.${resolution}.json`),
      JSON.stringify({
        compilerOptions: {
          target: "es2023",
          lib: ["es2023", "dom"],
          module,
          moduleResolution: resolution,
          strict: true,
          noEmit: true,
          types: ["node"],
        },
        files: ["app.ts"],
      }),
    );
    const tsc = spawnSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", `tsconfig.${resolution}.json`], {
      cwd: consumer,
      encoding: "utf8",
    });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  it.each([
    ["tsgi/aws-lambda", []],
    ["tsgi/aws-lambda", ["source"]],
    ["tsgi/aws-lambda/http-api", []],
    ["tsgi/aws-lambda/http-api", ["source"]],
  ])(
    "bundles a Lambda handler from %s with esbuild (conditions %j) that answers an event",
    async (entry, conditions) => {
      writeFileSync(
        join(consumer, "lambda.mjs"),
        `import { createHandler } from "${entry}";
         export const handler = createHandler((environ, startResponse) => {
           startResponse("200 OK", [["Content-Type", "text/plain"]]);
           return [new TextEncoder().encode("hi " + environ.PATH_INFO)];
         });`,
      );
      const outfile = join(consumer, "out", entry.replaceAll("/", "-"), `${conditions.length}`, "index.mjs");
      await esbuild.build({
        absWorkingDir: consumer,
        entryPoints: ["lambda.mjs"],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node22",
        conditions,
        logLevel: "silent",
      });
      const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: LambdaHandler };
      const request = {
        method: "GET",
        target: "/x",
        headers: [["Host", "example.com"]] as Array<[string, string]>,
      };
      const response = fromResult(await handler(toHttpApiEvent(request), { awsRequestId: "pkg" }), "GET");
      expect(response.status).toBe(200);
      expect(new TextDecoder().decode(response.body)).toBe("hi /x");
    },
  );

  it("the tsgi command serves a JavaScript app, with its access log", async () => {
    writeFileSync(
      join(consumer, "hello.mjs"),
      `export default (e, start) => { start("200 OK", []); return [new TextEncoder().encode("hi")]; };\n`,
    );
    const child = spawn(
      process.execPath,
      [join("node_modules", "tsgi", "bin", "tsgi.mjs"), "serve", "hello.mjs", "--port", "0"],
      {
        cwd: consumer,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((done) => child.once("exit", done));
    try {
      const deadline = Date.now() + 10_000;
      let url: string | undefined;
      while (!url && Date.now() < deadline && child.exitCode === null) {
        url = /serving hello\.mjs on (\S+)/.exec(stderr)?.[1];
        await new Promise((done) => setTimeout(done, 50));
      }
      expect(url, stderr).toBeDefined();
      expect(await (await fetch(url!)).text()).toBe("hi");
      for (let i = 0; i < 50 && !stdout.includes('"GET / HTTP/1.1" 200 2'); i++) {
        await new Promise((done) => setTimeout(done, 20));
      }
      expect(stdout).toContain('"GET / HTTP/1.1" 200 2');
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
    expect(stderr).toMatch(/tsgi: stopped\n$/);
  });

  it("the tsgi command says its version", () => {
    const out = run([join("node_modules", "tsgi", "bin", "tsgi.mjs"), "--version"]);
    expect(out.stdout).toBe(`tsgi ${MANIFEST.version}\n`);
    expect(out.status).toBe(0);
  });

  it("the tsgi command says in one line which Node a TypeScript app needs", () => {
    writeFileSync(join(consumer, "app.ts"), "export default () => [];\n");
    // --no-experimental-strip-types stands in for a Node that cannot strip types (22.12, 20.x).
    const out = run([
      "--no-experimental-strip-types",
      join("node_modules", "tsgi", "bin", "tsgi.mjs"),
      "serve",
      "app.ts",
    ]);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(
      /^tsgi: app\.ts is TypeScript: loading it needs Node >= 22\.18 .*; this is Node v\d+\.\d+\.\d+\n$/,
    );
    expect(published.engines.node).toBe(">=20.19");
  });
});
