/**
 * `tsgi.input`: the request body as an async byte stream.
 * @module
 */
import { concatBytes } from "./bytes.ts";
import type { BodySource, InputStream } from "./types.ts";

const EMPTY = new Uint8Array(0);
const NEWLINE = 0x0a;
const SETTLED: Promise<unknown> = Promise.resolve();

/**
 * A streamed body that can also hand over all of itself in one call, natively (a Fetch Request's
 * `arrayBuffer()`): a whole `read()` then costs one call instead of one `read()` of the stream per
 * chunk, each with its promise and result object. Used only while no chunk has been pulled yet.
 *
 * @example
 * ```ts
 * const body: WholeBody = { [Symbol.asyncIterator]: () => chunks(), readAll: () => request.bytes() };
 * ```
 */
export interface WholeBody extends AsyncIterable<Uint8Array> {
  readAll(): Promise<Uint8Array>;
}

/** Reads `source` lazily, never past `limit` bytes. Chunks are pulled only when the app reads. */
class RequestInput implements InputStream {
  #iterator: AsyncIterator<Uint8Array> | undefined;
  #source: AsyncIterable<Uint8Array> | undefined;
  #whole: WholeBody | undefined;
  #pending: Uint8Array = EMPTY;
  #remaining: number;
  #done = false;
  #onFirstRead: (() => void) | undefined;
  #queue: Promise<unknown> = SETTLED;

  constructor(source: BodySource, limit: number | undefined, onFirstRead: (() => void) | undefined) {
    this.#remaining = limit ?? Number.POSITIVE_INFINITY;
    this.#onFirstRead = onFirstRead;
    if (source === null || this.#remaining === 0) this.#done = true;
    else if (source instanceof Uint8Array) {
      this.#pending = source.byteLength > this.#remaining ? source.subarray(0, this.#remaining) : source;
      this.#remaining -= this.#pending.byteLength;
      this.#done = true;
    } else {
      this.#source = source;
      if (typeof (source as Partial<WholeBody>).readAll === "function") {
        this.#whole = source as WholeBody;
      }
    }
  }

  #firstRead(): void {
    if (this.#onFirstRead) {
      const hook = this.#onFirstRead;
      this.#onFirstRead = undefined;
      hook();
    }
  }

  /** The whole body in one call of the source's own (see {@link WholeBody}), still bounded. */
  async #readWhole(whole: WholeBody): Promise<Uint8Array> {
    this.#firstRead();
    this.#whole = undefined;
    let bytes: Uint8Array;
    try {
      bytes = await whole.readAll();
    } finally {
      this.#done = true;
    }
    if (bytes.byteLength > this.#remaining) bytes = bytes.subarray(0, this.#remaining);
    this.#remaining -= bytes.byteLength;
    return bytes.byteLength ? bytes : EMPTY;
  }

  /** Pulls one more chunk into `#pending`; false at end of input. */
  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    this.#firstRead();
    this.#whole = undefined;
    this.#iterator ??= this.#source![Symbol.asyncIterator]();
    for (;;) {
      const result = await this.#iterator.next();
      if (result.done) {
        this.#done = true;
        return false;
      }
      let chunk = result.value;
      if (chunk.byteLength === 0) continue;
      if (chunk.byteLength >= this.#remaining) {
        chunk = chunk.subarray(0, this.#remaining);
        this.#done = true;
      }
      this.#remaining -= chunk.byteLength;
      this.#pending = this.#pending.byteLength
        ? concatBytes([this.#pending, chunk], this.#pending.byteLength + chunk.byteLength)
        : chunk;
      return true;
    }
  }

  #take(n: number): Uint8Array {
    const out = this.#pending.subarray(0, n);
    this.#pending = this.#pending.subarray(n);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  /** Serializes reads so that concurrent calls see the stream in order. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    this.#busy++;
    const run = this.#queue.then(task, task);
    const idle = () => {
      this.#busy--;
    };
    this.#queue = run.then(idle, idle);
    return run;
  }

  // Reads in flight: with none, and every byte already at hand (a buffered body: Lambda, or the end
  // of a stream), a read is answered at once, without a queue turn or a pull.
  #busy = 0;

  read(n?: number | null): Promise<Uint8Array> {
    if (this.#busy === 0 && this.#done) {
      const want = n == null || n < 0 ? this.#pending.byteLength : Math.floor(n);
      return Promise.resolve(want === 0 ? EMPTY : this.#take(Math.min(want, this.#pending.byteLength)));
    }
    return this.#serial(async () => {
      const want = n == null || n < 0 ? Number.POSITIVE_INFINITY : Math.floor(n);
      if (want === 0) return EMPTY;
      if (want === Number.POSITIVE_INFINITY) {
        // Nothing pulled yet and the source can give it all at once: one call.
        const whole = this.#whole;
        if (whole && this.#iterator === undefined && !this.#done) return this.#readWhole(whole);
        const parts: Uint8Array[] = [];
        let total = 0;
        do {
          if (this.#pending.byteLength) {
            parts.push(this.#pending);
            total += this.#pending.byteLength;
            this.#pending = EMPTY;
          }
        } while (await this.#fill());
        return total ? this.#copyOut(concatBytes(parts, total)) : EMPTY;
      }
      while (this.#pending.byteLength < want && (await this.#fill()));
      return this.#take(Math.min(want, this.#pending.byteLength));
    });
  }

  #copyOut(bytes: Uint8Array): Uint8Array {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  readline(n?: number | null): Promise<Uint8Array> {
    return this.#serial(async () => {
      const max = n == null || n < 0 ? Number.POSITIVE_INFINITY : Math.floor(n);
      if (max === 0) return EMPTY;
      let searched = 0;
      for (;;) {
        const at = this.#pending.indexOf(NEWLINE, searched);
        if (at !== -1 && at < max) return this.#take(at + 1);
        if (this.#pending.byteLength >= max) return this.#take(max);
        searched = this.#pending.byteLength;
        if (!(await this.#fill())) return this.#take(Math.min(max, this.#pending.byteLength));
      }
    });
  }

  async readlines(hint?: number | null): Promise<Uint8Array[]> {
    const lines: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const line = await this.readline();
      if (line.byteLength === 0) return lines;
      lines.push(line);
      total += line.byteLength;
      if (hint != null && hint > 0 && total >= hint) return lines;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const line = await this.readline();
      if (line.byteLength === 0) return;
      yield line;
    }
  }
}

/**
 * Makes a `tsgi.input` stream over a request body, bounded by `contentLength` when known.
 *
 * @example
 * ```ts
 * const input = createInput(new TextEncoder().encode("a\nb"), 3);
 * await input.readline(); // "a\n"
 * ```
 */
export function createInput(
  source: BodySource,
  contentLength?: number,
  onFirstRead?: () => void,
): InputStream {
  return new RequestInput(source, contentLength, onFirstRead);
}
