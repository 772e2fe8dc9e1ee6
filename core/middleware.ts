/**
 * Composing middleware.
 * @module
 */
import type { App, Environ, Middleware } from "./types.ts";

/**
 * Composes middleware, outermost first: `compose(a, b)(app)` is `a(b(app))`.
 *
 * @example
 * ```ts
 * const wrapped = compose(logTiming, addHeader("X-Powered-By", "tsgi"))(app);
 * ```
 */
export function compose<E extends Environ = Environ>(...middleware: Middleware<E>[]): Middleware<E> {
  return (app: App<E>) => middleware.reduceRight((inner, wrap) => wrap(inner), app);
}
