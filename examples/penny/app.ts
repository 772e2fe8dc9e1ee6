/**
 * Penny: a book search in the style of the seed documents' PennyWsgi app. GET / shows the search
 * form; GET /search?author=Aus lists the books whose author starts with the text given. Every
 * value is HTML-escaped.
 * @module
 */
import type { App } from "tsgi";
import { latin1ToUtf8, percentDecode } from "tsgi";
import { escapeHtml, respond } from "../shared/http.ts";
import { type BookDatabase, SEARCH_SQL, prefixPattern } from "./database.ts";

const HTML = "text/html; charset=utf-8";

/** One form-encoded component as text: `+` is a space, escapes are UTF-8 bytes. */
const decodeComponent = (s: string): string => latin1ToUtf8(percentDecode(s.replaceAll("+", " ")));

/** Query parameters from the raw QUERY_STRING, decoded as a form would be (`+` is a space, UTF-8). */
export function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const [key, value] = at === -1 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    if (!params.has(decodeComponent(key))) params.set(decodeComponent(key), decodeComponent(value));
  }
  return params;
}

function page(title: string, author: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>Penny book search</h1>
<form action="search" method="get">
  <label>Author starts with <input name="author" value="${escapeHtml(author)}" autofocus></label>
  <button type="submit">Search</button>
</form>
${content}
</body>
</html>
`;
}

/**
 * Makes the Penny app over a book database.
 *
 * @example
 * ```ts
 * await serve(createPenny({ db: openSqlite(sql) }));
 * ```
 */
export function createPenny(options: { db: BookDatabase }): App {
  return async (environ, startResponse) => {
    const method = environ.REQUEST_METHOD;
    if (method !== "GET" && method !== "HEAD") {
      return respond(startResponse, 405, HTML, page("Not allowed", "", "<p>Only GET.</p>"), [
        ["Allow", "GET, HEAD"],
      ]);
    }
    const path = environ.PATH_INFO || "/";
    if (path === "/") return respond(startResponse, 200, HTML, page("Penny", "", ""));
    if (path !== "/search")
      return respond(startResponse, 404, HTML, page("Not found", "", "<p>No such page.</p>"));
    const author = (parseQuery(environ.QUERY_STRING).get("author") ?? "").trim();
    if (!author)
      return respond(
        startResponse,
        200,
        HTML,
        page("Penny", "", "<p>Type the start of an author's name.</p>"),
      );
    const books = await options.db.all(SEARCH_SQL, [prefixPattern(author)]);
    const rows = books
      .map(
        (b) =>
          `<tr><td>${escapeHtml(b.author)}</td><td>${escapeHtml(b.title)}</td><td>${escapeHtml(b.isbn)}</td></tr>`,
      )
      .join("\n");
    const content = books.length
      ? `<p>${books.length} book${books.length === 1 ? "" : "s"} by authors starting with “${escapeHtml(author)}”.</p>
<table>
<thead><tr><th>Author</th><th>Title</th><th>ISBN</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
      : `<p>No books by authors starting with “${escapeHtml(author)}”.</p>`;
    return respond(startResponse, 200, HTML, page(`Penny: ${author}`, author, content));
  };
}
