/**
 * The local server's store: one JSON file, replaced atomically (write a temporary file in the same
 * directory, fsync it, rename it over the old one), so a crash mid-write never leaves a half-written
 * document. Writes are serialized within the process.
 * @module
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DocumentStore, Json } from "./store.ts";

/**
 * @example
 * ```ts
 * const store = fileStore("./data/store.json");
 * ```
 */
export function fileStore(path: string): DocumentStore {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    async load() {
      try {
        return JSON.parse(await readFile(path, "utf8")) as Json;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    save: (document) =>
      serial(async () => {
        const temporary = join(
          dirname(path),
          `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`,
        );
        const handle = await open(temporary, "wx");
        try {
          await handle.writeFile(JSON.stringify(document));
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, path);
      }),
    clear: () => serial(() => rm(path, { force: true })),
  };
}
