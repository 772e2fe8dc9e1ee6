/**
 * Penny's database on Workers: Cloudflare D1, running the same SQL as node:sqlite.
 * @module
 */
import type { Book, BookDatabase } from "./database.ts";

/** The part of a D1 binding (`D1Database`) used here. */
export interface D1Like {
  prepare(sql: string): {
    bind(...values: unknown[]): { all<T>(): Promise<{ results: T[] }> };
  };
}

/**
 * @example
 * ```ts
 * const db = d1Database(env.DB);
 * ```
 */
export function d1Database(d1: D1Like): BookDatabase {
  return {
    all: async (sql, params) =>
      (
        await d1
          .prepare(sql)
          .bind(...params)
          .all<Book>()
      ).results,
  };
}
