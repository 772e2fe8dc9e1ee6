/**
 * The published AWS event samples, read where CI puts them: `../shared/fixtures/aws` beside the
 * repository (in a git worktree, beside the main checkout). Read in place, never copied.
 * @module
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The samples directory; throws (the tests fail) when it cannot be found. */
export function samplesDir(): string {
  const candidates = [join(ROOT, "../shared/fixtures/aws")];
  // A git worktree's .git file names the main checkout, whose sibling shared/ holds the samples.
  const gitFile = join(ROOT, ".git");
  if (existsSync(gitFile) && !existsSync(join(gitFile, "HEAD"))) {
    const gitdir = /^gitdir: (.+)$/m.exec(readFileSync(gitFile, "utf8"))?.[1]?.trim();
    if (gitdir) candidates.push(join(gitdir, "../../..", "../shared/fixtures/aws"));
  }
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`AWS event samples not found; looked in ${candidates.join(", ")}`);
  return found;
}

/** Every sample as `{ folder, file, event }`. */
export function loadSamples(): Array<{ folder: string; file: string; event: unknown }> {
  const dir = samplesDir();
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith(".json"))
        .toSorted()
        .map((file) => ({
          folder: d.name,
          file,
          event: JSON.parse(readFileSync(join(dir, d.name, file), "utf8")) as unknown,
        })),
    );
}
