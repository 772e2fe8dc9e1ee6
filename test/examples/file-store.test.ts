/** The JSONStore's file store: a crash mid-write never leaves a half-written document. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileStore } from "../../examples/jsonstore/file-store.ts";

const dir = mkdtempSync(join(tmpdir(), "tsgi-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fileStore", () => {
  it("saves, loads and clears", async () => {
    const store = fileStore(join(dir, "a.json"));
    expect(await store.load()).toBeUndefined();
    await store.save({ a: [1, "two"] });
    expect(await store.load()).toEqual({ a: [1, "two"] });
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });

  it("a process killed while writing leaves the old or the new document, whole", async () => {
    const file = join(dir, "crash.json");
    const writer = join(dir, "writer.ts");
    writeFileSync(
      writer,
      `import { fileStore } from ${JSON.stringify(resolve("examples/jsonstore/file-store.ts"))};
       const store = fileStore(${JSON.stringify(file)});
       for (let i = 0; ; i++) await store.save({ i, filler: "x".repeat(4_000_000 + (i % 7)) });`,
    );
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, [writer], { stdio: "ignore" });
      // Let at least one save land, then kill at a different moment each round.
      for (let waited = 0; !existsSync(file) && waited < 10_000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 40 + round * 70));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const text = readFileSync(file, "utf8");
      const document = JSON.parse(text) as { i: number; filler: string };
      expect(document.filler.length).toBe(4_000_000 + (document.i % 7));
    }
    // Temporary files of killed writers may stay behind, but never under the document's name.
    expect(readdirSync(dir).filter((f) => f === "crash.json")).toHaveLength(1);
  }, 30_000);
});
