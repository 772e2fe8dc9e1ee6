/**
 * Byte helpers shared by the core.
 * @module
 */

/** `parts` as one array of `total` bytes; the part itself when there is only one (no copy). */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
