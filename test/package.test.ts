/**
 * The package as a user installs it: built to dist/ by `tsc -p tsconfig.build.json`, resolved through
 * the `exports` map without the `source` condition, run by plain Node.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tsgi-package-"));
  const pkg = join(dir, "node_modules", "tsgi");
  mkdirSync(pkg, { recursive: true });
  execFileSync(
    join(root, "node_modules", ".bin", "tsc"),
    ["-p", "tsconfig.build.json", "--outDir", join(pkg, "dist")],
    {
      cwd: root,
    },
  );
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  symlinkSync(join(root, "node_modules", "@types"), join(dir, "node_modules", "@types"));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the built package", () => {
  it("every export resolves to JavaScript and types", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, string | Record<string, string>>;
    };
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") continue;
      const name = subpath === "." ? "tsgi" : `tsgi/${subpath.slice(2)}`;
      const out = execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length)`,
        ],
        {
          cwd: dir,
          encoding: "utf8",
        },
      );
      expect(Number(out.trim()), name).toBeGreaterThan(0);
      expect(() => readFileSync(join(dir, "node_modules", "tsgi", target.types!))).not.toThrow();
    }
  });
  it("serves a request through tsgi/node from plain JavaScript", () => {
    writeFileSync(
      join(dir, "main.mjs"),
      `import { serve } from "tsgi/node";
       const s = await serve((e, start) => { start("200 OK", []); return [new TextEncoder().encode(e.PATH_INFO)]; }, { port: 0 });
       const res = await fetch(s.url + "caf%C3%A9");
       console.log(res.status, await res.text());
       await s.close();`,
    );
    const out = execFileSync(process.execPath, ["main.mjs"], { cwd: dir, encoding: "utf8" });
    expect(out.trim()).toBe("200 /caf\u00c3\u00a9");
  });
});
