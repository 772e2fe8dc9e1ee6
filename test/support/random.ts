/**
 * The fuzzers' seeded generator (mulberry32): small and fast, and the same seed gives the same cases
 * on every machine, so a failing case replays exactly from its seed.
 * @module
 */

/**
 * A generator of numbers in [0, 1) from `seed`.
 *
 * @example
 * ```ts
 * const next = seededRandom(7);
 * const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
