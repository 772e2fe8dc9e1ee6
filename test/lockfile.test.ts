/**
 * The committed package-lock.json is complete: every optional dependency (the per-platform builds
 * of workerd, esbuild, oxlint, oxfmt...) has its entry, so `npm install` on a fresh clone leaves the
 * file unchanged and `npm ci` installs on any platform, not only the one that wrote the lockfile.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

interface LockEntry {
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}

/** Where npm would find `name` for the package at `from`: nested first, then each parent folder. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const at = base.lastIndexOf("/node_modules/");
    base = at === -1 ? "" : base.slice(0, at);
  }
}

describe("package-lock.json", () => {
  it("has an entry for every optional dependency, for every platform", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, LockEntry>;
    };
    const missing = Object.entries(lock.packages).flatMap(([path, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((name) => !locate(lock.packages, path, name))
        .map((name) => `${path || "(root)"} -> ${name}`),
    );
    expect(missing, "regenerate with `npm install` and commit package-lock.json").toEqual([]);
  });
});
