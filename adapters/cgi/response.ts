/**
 * CGI outgoing: the core's ResponseSink onto the script's stdout (RFC 3875 section 6).
 * @module
 */
import type { Writable } from "node:stream";
import type { ResponseSink } from "../../core/gateway.ts";

/**
 * Outgoing: the response as a CGI document on `stdout`: a `Status:` line, the headers, a blank
 * line, then the body bytes untouched. No framing: the server frames the response (RFC 3875 6.3).
 * `onAbort` runs when the response must be cut off after its headers went out.
 *
 * @example
 * ```ts
 * const sink = createStdoutSink(process.stdout, () => (exitCode = 1));
 * ```
 */
export function createStdoutSink(stdout: Writable, onAbort: (reason: unknown) => void): ResponseSink {
  const controller = new AbortController();
  let ended = false;
  // The server closes the pipe when its client goes away: a write then fails with EPIPE, which
  // must stop the app (the core closes the body), not crash the process.
  const gone = (error?: Error) => {
    if (!ended) controller.abort(error ?? new Error("the server closed the script's stdout"));
  };
  stdout.on("error", gone);
  stdout.once("close", () => gone());
  const write = (bytes: Uint8Array): void | Promise<void> => {
    if (stdout.destroyed || controller.signal.aborted) return;
    // Buffer.from copies: the app may reuse its chunk's buffer once this resolves.
    if (stdout.write(Buffer.from(bytes))) return;
    return new Promise<void>((resolve) => {
      const done = () => {
        stdout.off("drain", done);
        controller.signal.removeEventListener("abort", done);
        resolve();
      };
      stdout.on("drain", done);
      controller.signal.addEventListener("abort", done);
    });
  };
  return {
    signal: controller.signal,
    head({ status, reason, headers }) {
      let text = `Status: ${status} ${reason}\r\n`;
      for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
      // Header values are bytes-as-latin1 (checked by the core), so latin1 writes them byte for byte.
      return write(Buffer.from(`${text}\r\n`, "latin1"));
    },
    chunk: write,
    end() {
      ended = true;
      if (stdout.destroyed || controller.signal.aborted) return;
      // Resolves once everything written before has been handed to the OS.
      return new Promise<void>((resolve) => stdout.write(new Uint8Array(0), () => resolve()));
    },
    abort(reason) {
      ended = true;
      onAbort(reason);
    },
  };
}
