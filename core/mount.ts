/**
 * Dispatching by path prefix, as werkzeug's DispatcherMiddleware does.
 * @module
 */
import { gatewayAnswer } from "./answer.ts";
import type { App, Environ } from "./types.ts";
import { utf8ToLatin1 } from "./url.ts";

/** The default fallback: the gateway's plain 404. */
const notFound: App = (_environ, startResponse) => {
  const { head, body } = gatewayAnswer(404);
  startResponse(`${head.status} ${head.reason}`, head.headers);
  return [body];
};

/** `/api/` and `api` to `/api`, as bytes-as-latin1 (PATH_INFO's form); throws on the root. */
function normalizePrefix(prefix: string): string {
  let prefixText = utf8ToLatin1(prefix.startsWith("/") ? prefix : `/${prefix}`);
  while (prefixText.endsWith("/")) prefixText = prefixText.slice(0, -1);
  if (prefixText === "") throw new TypeError("mount: the root is the fallback, not a prefix");
  return prefixText;
}

/**
 * Routes each request to the app mounted at the longest prefix of PATH_INFO that ends on a segment
 * boundary (`/api` takes `/api` and `/api/x`, never `/apix`). The prefix moves from PATH_INFO to
 * SCRIPT_NAME, so the mounted app builds its URLs with its mount point; `fallback` (a 404 by
 * default) gets every other request unchanged. Prefixes are text (UTF-8), matched against the
 * decoded path.
 *
 * @example
 * ```ts
 * const app = mount({ "/api": api, "/admin": admin }, site);
 * // GET /api/items: api sees SCRIPT_NAME "/api", PATH_INFO "/items"
 * ```
 */
export function mount<E extends Environ = Environ>(
  routes: Record<string, App<E>>,
  fallback: App<E> = notFound,
): App<E> {
  const table = new Map<string, App<E>>();
  for (const [prefix, app] of Object.entries(routes)) table.set(normalizePrefix(prefix), app);
  return (environ, startResponse) => {
    const path = environ.PATH_INFO;
    // Cut the path back one segment at a time: the first match is the longest prefix.
    let prefix = path;
    while (prefix !== "") {
      const app = table.get(prefix);
      if (app !== undefined) {
        environ.SCRIPT_NAME += prefix;
        environ.PATH_INFO = path.slice(prefix.length);
        return app(environ, startResponse);
      }
      prefix = prefix.slice(0, Math.max(0, prefix.lastIndexOf("/")));
    }
    return fallback(environ, startResponse);
  };
}
