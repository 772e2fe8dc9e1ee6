/**
 * `tsgi.errors`: the error text stream, and `logError`, which writes an error to it.
 * @module
 */
import type { ErrorStream } from "./types.ts";

/**
 * Makes a `tsgi.errors` stream. Text is passed on line by line (a partial line waits for its
 * newline or `flush()`); it never throws, whatever the sink does.
 *
 * @example
 * ```ts
 * const errors = createErrorStream((line) => console.error(line));
 * errors.write("oops\n");
 * ```
 */
export function createErrorStream(sink: (line: string) => void): ErrorStream {
  return new LineErrorStream(sink);
}

/** Text written to `tsgi.errors`, handed to `sink` one complete line at a time. */
class LineErrorStream implements ErrorStream {
  #partial = "";
  readonly #sink: (line: string) => void;

  constructor(sink: (line: string) => void) {
    this.#sink = sink;
  }

  #emit(line: string): void {
    try {
      this.#sink(line);
    } catch {
      // tsgi.errors never throws (PEP 3333): a broken log sink must not break the response.
    }
  }

  write(text: string): void {
    let piece: string;
    try {
      piece = typeof text === "string" ? text : String(text);
    } catch {
      // An object without a prototype, a throwing toString(): still never a throw (PEP 3333).
      piece = "(a value that cannot become a string)";
    }
    this.#partial += piece;
    let at = this.#partial.indexOf("\n");
    while (at !== -1) {
      this.#emit(this.#partial.slice(0, at));
      this.#partial = this.#partial.slice(at + 1);
      at = this.#partial.indexOf("\n");
    }
  }

  writelines(lines: Iterable<string>): void {
    try {
      for (const line of lines) this.write(line);
    } catch {
      // An iterable that throws is the caller's fault, but the stream still never throws.
    }
  }

  flush(): void {
    if (this.#partial) {
      this.#emit(this.#partial);
      this.#partial = "";
    }
  }
}

/**
 * Writes the text of an error (with its stack) to `tsgi.errors`, then flushes.
 *
 * @example
 * ```ts
 * logError(environ["tsgi.errors"], "app failed", err);
 * ```
 */
export function logError(errors: ErrorStream, message: string, error?: unknown): void {
  let detail = "";
  if (error !== undefined) {
    try {
      detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    } catch {
      detail = "(an error that cannot be shown)";
    }
  }
  errors.write(`tsgi: ${message}${detail ? `\n${detail}` : ""}\n`);
  errors.flush();
}
