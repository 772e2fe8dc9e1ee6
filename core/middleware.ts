/**
 * Composing middleware.
 * @module
 */
import type { App, Middleware } from "./types.ts";

/**
 * Composes middleware, outermost first: `compose(a, b)(app)` is `a(b(app))`.
 *
 * @example
 * ```ts
 * const wrapped = compose(logTiming, addHeader("X-Powered-By", "tsgi"))(app);
 * ```
 */
export function compose(...middleware: Middleware[]): Middleware {
  return (app: App) => middleware.reduceRight((inner, wrap) => wrap(inner), app);
}
