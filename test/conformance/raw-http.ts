/**
 * A raw HTTP/1.1 client over a `net` socket: the request goes out byte for byte (nothing normalizes
 * it) and the response framing is parsed by hand, so a cut-off response is seen as such.
 * @module
 */
import { connect } from "node:net";
import type { TestRequest, TestResponse } from "./types.ts";

export interface RawOptions {
  /** Wait for `100 Continue` before sending the body when the request expects it. */
  expectContinue?: boolean;
  /** Give up after this many ms. */
  timeout?: number;
  /** Called for each body chunk as it arrives (time of arrival matters for streaming tests). */
  onBodyChunk?: (chunk: Buffer) => void;
}

function serialize(request: TestRequest): { head: Buffer; body: Buffer } {
  let head = `${request.method} ${request.target} ${request.protocol ?? "HTTP/1.1"}\r\n`;
  for (const [name, value] of request.headers) head += `${name}: ${value}\r\n`;
  head += "\r\n";
  let body = Buffer.from(request.body ?? new Uint8Array(0));
  const chunked = request.headers.some(
    ([n, v]) => n.toLowerCase() === "transfer-encoding" && /chunked/i.test(v),
  );
  if (chunked) {
    body = Buffer.concat([
      Buffer.from(`${body.length.toString(16)}\r\n`),
      body,
      Buffer.from("\r\n0\r\n\r\n"),
    ]);
  }
  return { head: Buffer.from(head, "latin1"), body };
}

/** Parses the response in `data`; `closed` tells whether the peer has closed the connection. */
function parse(
  data: Buffer,
  method: string,
  closed: boolean,
): (TestResponse & { complete: boolean }) | undefined {
  let offset = 0;
  for (;;) {
    const end = data.indexOf("\r\n\r\n", offset);
    if (end === -1) return undefined;
    const lines = data.subarray(offset, end).toString("latin1").split("\r\n");
    const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0] ?? "");
    if (!match) throw new Error(`bad status line ${JSON.stringify(lines[0])}`);
    const status = Number(match[1]);
    const headers: Array<[string, string]> = lines.slice(1).map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    });
    offset = end + 4;
    if (status >= 100 && status < 200 && status !== 101) continue; // interim responses
    const rest = data.subarray(offset);
    const header = (name: string) => headers.find(([n]) => n === name)?.[1];
    const base = { status, reason: match[2] ?? "", headers };
    if (method === "HEAD" || status === 204 || status === 304) {
      return { ...base, body: new Uint8Array(0), aborted: false, complete: true };
    }
    const length = header("content-length");
    if (header("transfer-encoding")?.toLowerCase() === "chunked") {
      const parts: Buffer[] = [];
      let at = 0;
      for (;;) {
        const lineEnd = rest.indexOf("\r\n", at);
        if (lineEnd === -1) break;
        const size = Number.parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
        if (size === 0) {
          const trailerEnd = rest.indexOf("\r\n\r\n", lineEnd);
          const done =
            trailerEnd !== -1 || rest.subarray(lineEnd, lineEnd + 4).equals(Buffer.from("\r\n\r\n"));
          if (done || rest.length >= lineEnd + 4) {
            return { ...base, body: Buffer.concat(parts), aborted: false, complete: true };
          }
          break;
        }
        if (rest.length < lineEnd + 2 + size + 2) break;
        parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      return closed ? { ...base, body: Buffer.concat(parts), aborted: true, complete: true } : undefined;
    }
    if (length !== undefined) {
      const n = Number(length);
      if (rest.length >= n) return { ...base, body: rest.subarray(0, n), aborted: false, complete: true };
      return closed ? { ...base, body: rest, aborted: true, complete: true } : undefined;
    }
    return closed ? { ...base, body: rest, aborted: false, complete: true } : undefined;
  }
}

/**
 * Sends `request` to 127.0.0.1:`port` and resolves with the first complete response.
 *
 * @example
 * ```ts
 * const res = await rawRequest(8000, { method: "GET", target: "/", headers: [["Host", "x"]] });
 * ```
 */
export function rawRequest(
  port: number,
  request: TestRequest,
  options: RawOptions = {},
): Promise<TestResponse> {
  const { head, body } = serialize(request);
  const waitForContinue =
    options.expectContinue ??
    request.headers.some(([n, v]) => n.toLowerCase() === "expect" && /100-continue/i.test(v));
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = Buffer.alloc(0);
    let bodySent = !waitForContinue;
    let settled = false;
    const timer = setTimeout(
      () => finish(new Error(`no complete response within ${options.timeout ?? 5000} ms`)),
      options.timeout ?? 5000,
    );
    const finish = (error?: Error, response?: TestResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const check = (closed: boolean) => {
      try {
        if (!bodySent && data.toString("latin1").startsWith("HTTP/1.1 100")) {
          bodySent = true;
          socket.write(body);
        }
        const parsed = parse(data, request.method, closed);
        if (parsed?.complete) {
          const { complete: _complete, ...response } = parsed;
          finish(undefined, { ...response, body: new Uint8Array(response.body) });
        } else if (closed)
          finish(
            new Error(
              `connection closed before a response: ${JSON.stringify(data.toString("latin1").slice(0, 200))}`,
            ),
          );
      } catch (error) {
        finish(error as Error);
      }
    };
    socket.on("connect", () => {
      socket.write(head);
      if (bodySent && body.length) socket.write(body);
    });
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      options.onBodyChunk?.(chunk);
      check(false);
    });
    socket.on("end", () => check(true));
    socket.on("close", () => check(true));
    socket.on("error", (error) => {
      if (data.length) check(true);
      else finish(error);
    });
  });
}
