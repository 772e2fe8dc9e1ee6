/** The streamed response of the memory benchmark: 1 GiB in 64 KiB chunks. */
export const STREAM_CHUNK = 64 * 1024;
export const STREAM_TOTAL = 1024 * 1024 * 1024;

/** The chunks, one reused buffer (every adapter copies or sends a chunk before asking for the next). */
export function* streamChunks(): Generator<Uint8Array> {
  const chunk = new Uint8Array(STREAM_CHUNK).fill(0x61);
  for (let sent = 0; sent < STREAM_TOTAL; sent += STREAM_CHUNK) yield chunk;
}
