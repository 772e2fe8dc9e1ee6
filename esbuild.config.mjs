// Builds the example bundles: for each example and each platform entry that exists, one ESM file.
// `npm run build` runs `tsc -p tsconfig.build.json` (the library into dist/) and then this file.
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import * as esbuild from "esbuild";

const examples = ["hello", "jsonstore", "penny"];
const platforms = {
  node: { platform: "node", target: "node22", outExtension: ".mjs" },
};

const results = [];
for (const example of examples) {
  for (const [name, settings] of Object.entries(platforms)) {
    const entry = `examples/${example}/${name}.ts`;
    if (!existsSync(entry)) continue;
    const outfile = `dist/examples/${example}/${name}${settings.outExtension}`;
    await esbuild.build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: "esm",
      platform: settings.platform,
      target: settings.target,
      conditions: ["source"],
      minify: true,
      sourcemap: "linked",
      legalComments: "none",
      logLevel: "warning",
    });
    const bytes = (await stat(outfile)).size;
    const gzip = gzipSync(readFileSync(outfile)).byteLength;
    results.push({ bundle: outfile, bytes, gzip });
  }
}
for (const { bundle, bytes, gzip } of results) {
  console.log(`${bundle.padEnd(44)} ${String(bytes).padStart(9)} B  ${String(gzip).padStart(8)} B gzip`);
}
