/**
 * No import cycle inside `adapters/` or `core/`: the modules' imports must form a graph without
 * loops, so that a module never imports what imports it. `import type` statements are erased at
 * build time and make no cycle at run time; they are counted too, so that the types follow the same
 * layering as the code.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SPECIFIER = /(?:^|\n)\s*(import|export)\b(\s+type\b)?[^;]*?\bfrom\s*["'](\.[^"']+)["']/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The relative imports of every module under `dirs`, as repository paths. */
function importGraph(dirs: string[], withTypes: boolean): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of dirs.flatMap((d) => sources(join(ROOT, d)))) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(SPECIFIER)]
      .filter((m) => withTypes || m[2] === undefined)
      .map((m) => relative(ROOT, resolve(dirname(file), m[3]!)));
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** The cycles found by a depth-first walk, each as the loop of module paths. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe("imports", () => {
  it("the walk finds a cycle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(findCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("no cycle inside adapters/ or core/", () => {
    const cycles = findCycles(importGraph(["adapters", "core"], false));
    expect(cycles.map((c) => c.join(" -> "))).toEqual([]);
  });

  it("no cycle, type imports included, inside adapters/ or core/", () => {
    const cycles = findCycles(importGraph(["adapters", "core"], true));
    expect(cycles.map((c) => c.join(" -> "))).toEqual([]);
  });
});
