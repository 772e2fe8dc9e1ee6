/**
 * Penny's database on Node and Lambda: node:sqlite, in memory, created from penny.sql.
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import type { Book, BookDatabase } from "./database.ts";

/**
 * @example
 * ```ts
 * const db = openSqlite(readFileSync("examples/penny/penny.sql", "utf8"));
 * ```
 */
export function openSqlite(schemaAndSeed: string, path = ":memory:"): BookDatabase {
  const db = new DatabaseSync(path);
  db.exec(schemaAndSeed);
  return {
    all: async (sql, params) => db.prepare(sql).all(...params) as unknown as Book[],
  };
}
