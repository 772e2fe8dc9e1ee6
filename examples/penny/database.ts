/**
 * The book table behind Penny, as the one query the app needs. node:sqlite (Node, Lambda) and D1
 * (Workers) both implement it with the same SQL.
 * @module
 */

export interface Book {
  isbn: string;
  author: string;
  title: string;
}

/** Runs a read-only query with positional parameters and returns its rows. */
export interface BookDatabase {
  all(sql: string, params: string[]): Promise<Book[]>;
}

/** Author-prefix search: `LIKE` with its wildcards escaped, so `%` and `_` in a name match themselves. */
export const SEARCH_SQL =
  "SELECT isbn, author, title FROM books WHERE author LIKE ? ESCAPE '\\' ORDER BY author, title LIMIT 100";

/** The LIKE pattern for a prefix. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
