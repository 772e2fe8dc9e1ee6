/**
 * The package as published: `node scripts/pack.ts build` compiles the library into dist/ (no
 * source maps: the .ts sources are not shipped); `prepack` (run by `npm pack` and `npm publish`)
 * builds it and removes the `source` export condition from package.json, `postpack` puts the file
 * back as it was. In this repository `source` resolves "tsgi" to its TypeScript sources, so that
 * `npm start`, the tests and the `tsgi` command run from a fresh clone with no dist/; in a consumer
 * those .ts files do not exist (and Node does not strip types under node_modules), so the published
 * manifest leaves the condition out and every condition in it points at a shipped file.
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const MANIFEST = join(ROOT, "package.json");
/** package.json as it was before prepack, put back by postpack (or by the next prepack). */
const SAVED = join(ROOT, ".cache", "package.json.before-pack");

type Exports = Record<string, string | Record<string, string>>;

/**
 * Compiles the library (core, adapters, the CLI) into `outDir`, emptied first.
 *
 * @example
 * ```ts
 * buildLibrary("/tmp/stage/dist");
 * ```
 */
export function buildLibrary(outDir = join(ROOT, "dist")): void {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  execFileSync(tsc, ["-p", "tsconfig.build.json", "--outDir", outDir], { cwd: ROOT, stdio: "inherit" });
}

/**
 * The manifest without the repository-only `source` condition.
 *
 * @example
 * ```ts
 * writeFileSync("stage/package.json", publishedManifest(readFileSync("package.json", "utf8")));
 * ```
 */
export function publishedManifest(text: string): string {
  const manifest = JSON.parse(text) as { exports: Exports };
  for (const target of Object.values(manifest.exports)) {
    if (typeof target === "object") delete target.source;
  }
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function restore(): void {
  if (existsSync(SAVED)) renameSync(SAVED, MANIFEST);
}

const command = import.meta.main ? process.argv[2] : undefined;
if (command === "build") buildLibrary();
else if (command === "prepack") {
  restore(); // a pack that failed half-way left the stripped manifest behind
  buildLibrary();
  const text = readFileSync(MANIFEST, "utf8");
  mkdirSync(dirname(SAVED), { recursive: true });
  writeFileSync(SAVED, text);
  writeFileSync(MANIFEST, publishedManifest(text));
} else if (command === "postpack") restore();
else if (command !== undefined) {
  process.stderr.write("usage: node scripts/pack.ts build|prepack|postpack\n");
  process.exit(2);
}
