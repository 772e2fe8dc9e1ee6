/**
 * Response header names as Lambda results key them: case-insensitively, under the spelling first given.
 * @module
 */

/** Up to this many names are searched in turn; more go to a Map. */
const LINEAR_LIMIT = 16;

/**
 * The spelling each header name was first given, so that `content-type` after `Content-Type` joins
 * the first. A result is built per invocation and most have two or three headers: short arrays
 * searched in turn cost less than a Map made (and hashed into) every time.
 *
 * @example
 * ```ts
 * const names = new FirstSpelling();
 * names.firstOf("Content-Type"); // undefined: the first time
 * names.firstOf("content-type"); // "Content-Type"
 * ```
 */
export class FirstSpelling {
  readonly #lowers: string[] = [];
  readonly #names: string[] = [];
  #map: Map<string, string> | undefined;

  /**
   * The spelling first seen with the lower-case form of `name`, or undefined when this is the first
   * (then `name` is recorded). Callers key a new name by `name` and test nothing on the result object,
   * where `constructor` or `toString` would be found on its prototype.
   */
  firstOf(name: string): string | undefined {
    const lower = name.toLowerCase();
    const map = this.#map;
    if (map) {
      const first = map.get(lower);
      if (first === undefined) map.set(lower, name);
      return first;
    }
    const lowers = this.#lowers;
    for (let i = 0; i < lowers.length; i++) if (lowers[i] === lower) return this.#names[i]!;
    if (lowers.length === LINEAR_LIMIT) {
      this.#map = new Map(lowers.map((l, i) => [l, this.#names[i]!]));
      this.#map.set(lower, name);
      return undefined;
    }
    lowers.push(lower);
    this.#names.push(name);
    return undefined;
  }
}

/**
 * Sets `target[name]` as an own property even for `__proto__`, which a plain assignment would take as
 * the object's prototype, so that the header would vanish from the result. Later reads and writes of
 * the key then find the own property.
 *
 * @example
 * ```ts
 * const headers: Record<string, string> = {};
 * defineKey(headers, "__proto__", "x"); // JSON.stringify(headers) === '{"__proto__":"x"}'
 * ```
 */
export function defineKey<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === "__proto__")
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/**
 * Response headers grouped by name, first spelling kept, every value in order (REST and ALB
 * multi-value results).
 *
 * @example
 * ```ts
 * multiValueHeaders([["Set-Cookie", "a=1"], ["set-cookie", "b=2"]]); // { "Set-Cookie": ["a=1", "b=2"] }
 * ```
 */
export function multiValueHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const names = new FirstSpelling();
  for (const [name, value] of headers) {
    const first = names.firstOf(name);
    if (first === undefined) defineKey(out, name, [value]);
    else out[first]!.push(value);
  }
  return out;
}
