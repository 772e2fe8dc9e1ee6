// Builds the example bundles. For each example in examples/ (a folder with an app.ts), each target
// whose entry it has:
//   build/examples/<example>/lambda/index.mjs (+ lambda.zip)  AWS Lambda, Node 22, ESM: upload the zip
//   build/examples/<example>/worker/index.js                  Cloudflare Workers: wrangler deploy --no-bundle
//   build/examples/<example>/node.mjs                         the local Node server
// `npm run build` compiles the library into dist/ (what the package ships) and then runs this file,
// which prints each output's size; the bundles stay out of dist/, so out of the package.
// scripts/dev-lambda.ts and the tests import buildExample() from here.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { crc32, deflateRawSync, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const EXAMPLES_DIR = new URL("examples/", import.meta.url);

/** The examples: every folder of examples/ with an app.ts, in name order. */
export const EXAMPLES = readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/app.ts`, EXAMPLES_DIR)))
  .map((entry) => entry.name)
  .toSorted();

/** Where the bundles go: outside dist/, which is what the package ships. */
export const OUTDIR = "build/examples";

/** One esbuild setup per target; `entry` is the example's file, `out` the bundle under its folder. */
export const TARGETS = {
  lambda: {
    entry: "lambda.ts",
    out: "lambda/index.mjs",
    platform: "node",
    target: "node22",
    conditions: ["source"],
  },
  worker: {
    entry: "worker.ts",
    out: "worker/index.js",
    // No Node built-ins on Workers (no nodejs_compat): an import of one fails the build.
    platform: "neutral",
    target: "es2023",
    conditions: ["source", "workerd", "worker", "browser"],
    external: ["cloudflare:*"],
  },
  node: {
    entry: "node.ts",
    out: "node.mjs",
    platform: "node",
    target: "node22",
    conditions: ["source"],
  },
};

/**
 * Builds one example for one target into `outdir/<example>/`; the Lambda target also writes
 * lambda.zip. Returns the files written with their sizes.
 *
 * @param {string} example
 * @param {keyof typeof TARGETS} target
 * @param {string} [outdir]
 * @returns {Promise<Array<{ file: string; bytes: number; gzip: number | undefined }>>}
 */
export async function buildExample(example, target, outdir = OUTDIR) {
  const { entry, out, ...settings } = TARGETS[target];
  const outfile = join(outdir, example, out);
  await esbuild.build({
    ...settings,
    entryPoints: [join("examples", example, entry)],
    outfile,
    bundle: true,
    format: "esm",
    // Penny's penny.sql is bundled as a string (node:sqlite runs it at cold start on Lambda).
    loader: { ".sql": "text" },
    minify: true,
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
  });
  const files = [outfile];
  if (target === "lambda") {
    const zip = join(dirname(outfile), "..", "lambda.zip");
    const members = [outfile, `${outfile}.map`].map((file) => ({
      name: basename(file),
      data: readFileSync(file),
    }));
    writeFileSync(zip, zipFiles(members));
    files.push(zip);
  }
  return files.map((file) => {
    const data = readFileSync(file);
    // A zip is compressed already: its gzip size says nothing.
    return {
      file,
      bytes: data.byteLength,
      gzip: file.endsWith(".zip") ? undefined : gzipSync(data).byteLength,
    };
  });
}

/**
 * A zip archive of `files` (deflated, at its root), as Lambda takes for upload. Timestamps are fixed
 * (1980-01-01) so that the same bundle gives the same zip.
 *
 * @param {Array<{ name: string; data: Uint8Array }>} files
 * @returns {Buffer}
 */
export function zipFiles(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, "utf8");
    const deflated = deflateRawSync(data);
    const fields = (header) => {
      header.writeUInt16LE(20, 0); // version needed: 2.0 (deflate)
      header.writeUInt16LE(0x0800, 2); // the name is UTF-8
      header.writeUInt16LE(8, 4); // deflate
      header.writeUInt16LE(0, 6); // 00:00:00
      header.writeUInt16LE((0 << 9) | (1 << 5) | 1, 8); // 1980-01-01
      header.writeUInt32LE(crc32(data), 10);
      header.writeUInt32LE(deflated.byteLength, 14);
      header.writeUInt32LE(data.byteLength, 18);
      header.writeUInt16LE(nameBytes.byteLength, 22);
      return header;
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local.subarray(4));
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below applies
    fields(central.subarray(6));
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, deflated);
    centrals.push(central, nameBytes);
    offset += local.byteLength + nameBytes.byteLength + deflated.byteLength;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Whether `example` has an entry for `target` (an example may leave a platform out).
 *
 * @param {string} example
 * @param {keyof typeof TARGETS} target
 */
export function hasTarget(example, target) {
  return existsSync(new URL(`${example}/${TARGETS[target].entry}`, EXAMPLES_DIR));
}

/**
 * Builds every example for every target it has an entry for into `outdir`.
 *
 * @param {string} [outdir]
 */
export async function buildAll(outdir = OUTDIR) {
  const results = [];
  for (const example of EXAMPLES)
    for (const target of /** @type {Array<keyof typeof TARGETS>} */ (Object.keys(TARGETS)))
      if (hasTarget(example, target)) results.push(...(await buildExample(example, target, outdir)));
  return results;
}

if (import.meta.main) {
  const results = await buildAll();
  const width = Math.max(...results.map((r) => r.file.length));
  console.log(`${"bundle".padEnd(width)}  ${"bytes".padStart(9)}  ${"gzip".padStart(8)}`);
  for (const { file, bytes, gzip } of results)
    console.log(`${file.padEnd(width)}  ${String(bytes).padStart(9)}  ${String(gzip ?? "-").padStart(8)}`);
}
