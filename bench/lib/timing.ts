/** Timing loops and statistics shared by the workers and the runner. */

/**
 * Microseconds per call of `fn`, calling it in batches until `ms` milliseconds have passed.
 *
 * @example
 * ```ts
 * const us = await microsPerCall(() => handler(event, context), 300);
 * ```
 */
export async function microsPerCall(fn: () => unknown, ms: number, batch = 50): Promise<number> {
  let calls = 0;
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < batch; i++) await fn();
    calls += batch;
    now = performance.now();
  } while (now - start < ms);
  return ((now - start) * 1000) / calls;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
