/**
 * Noticing app failures for the `rethrow` option: the core turns an app exception into a 500 (or a cut
 * off response) by itself, so the adapter watches the app and its body iterator to learn about it.
 * @module
 */
import type { App, Body } from "../../core/gateway.ts";

/** A sync iterator whose failures `onError` hears of; return() only when the original has one (the core checks). */
function watchSync(it: Iterator<Uint8Array>, onError: (error: unknown) => void): Iterator<Uint8Array> {
  const watched: Iterator<Uint8Array> = {
    next() {
      try {
        return it.next();
      } catch (error) {
        onError(error);
        throw error;
      }
    },
  };
  if (typeof it.return === "function") watched.return = (value) => it.return!(value);
  return watched;
}

/** The async twin of {@link watchSync}: failures arrive as rejections. */
function watchAsync(
  it: AsyncIterator<Uint8Array>,
  onError: (error: unknown) => void,
): AsyncIterator<Uint8Array> {
  const watched: AsyncIterator<Uint8Array> = {
    async next() {
      try {
        return await it.next();
      } catch (error) {
        onError(error);
        throw error;
      }
    },
  };
  if (typeof it.return === "function") watched.return = (value) => it.return!(value);
  return watched;
}

/**
 * Wraps `app` so that `onError` hears of every exception it (or its body's iteration) throws. Arrays
 * are passed through as they are: the core reads their length up front, and they cannot throw.
 *
 * @example
 * ```ts
 * let failure: unknown;
 * const watched = watchApp(app, (error) => (failure ??= error));
 * ```
 */
export function watchApp(app: App, onError: (error: unknown) => void): App {
  return async (environ, startResponse) => {
    let body: Body;
    try {
      body = await app(environ, startResponse);
    } catch (error) {
      onError(error);
      throw error;
    }
    if (Array.isArray(body) || typeof body !== "object" || body === null) return body;
    const original = body;
    const close = typeof original.close === "function" ? { close: () => original.close!() } : {};
    if (Symbol.asyncIterator in original) {
      const source = original as AsyncIterable<Uint8Array>;
      return { [Symbol.asyncIterator]: () => watchAsync(source[Symbol.asyncIterator](), onError), ...close };
    }
    if (Symbol.iterator in original) {
      const source = original as Iterable<Uint8Array>;
      return { [Symbol.iterator]: () => watchSync(source[Symbol.iterator](), onError), ...close };
    }
    return body;
  };
}
