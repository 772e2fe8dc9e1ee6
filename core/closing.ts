/**
 * `closing`: a body whose `close()` also runs the app's own cleanups.
 * @module
 */
import type { Body } from "./types.ts";

/**
 * Wraps a body so that `close()` also runs `cleanups` (in order, each once, errors collected).
 *
 * @example
 * ```ts
 * const file = await open(path);
 * return closing(chunksOf(file), () => file.close());
 * ```
 */
export function closing(body: Body, ...cleanups: Array<() => unknown>): Body {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const failures: unknown[] = [];
    for (const fn of [() => body.close?.(), ...cleanups]) {
      try {
        await fn();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, "several close() cleanups failed");
  };
  // An array stays an array, so the gateway still knows the body's length up front.
  if (Array.isArray(body)) return Object.assign([...(body as Uint8Array[])], { close });
  if (Symbol.asyncIterator in body) {
    return {
      [Symbol.asyncIterator]: () => (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](),
      close,
    };
  }
  return { [Symbol.iterator]: () => (body as Iterable<Uint8Array>)[Symbol.iterator](), close };
}
