/**
 * The AWS event samples kept in the repository (`test/fixtures/aws`, see its SOURCES.md): published
 * captures byte for byte, plus the Lambda@Edge events written from AWS's documented examples.
 * @module
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The samples directory inside the repository. */
export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/aws");

/** Every sample as `{ folder, file, event }`. */
export function loadSamples(): Array<{ folder: string; file: string; event: unknown }> {
  return readdirSync(SAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(SAMPLES_DIR, d.name))
        .filter((f) => f.endsWith(".json"))
        .toSorted()
        .map((file) => ({
          folder: d.name,
          file,
          event: JSON.parse(readFileSync(join(SAMPLES_DIR, d.name, file), "utf8")) as unknown,
        })),
    );
}
