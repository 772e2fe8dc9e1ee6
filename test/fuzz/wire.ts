/**
 * The fuzzer's client side: one case sent on a fresh connection, and the responses read back by
 * hand (framing parsed, 1xx skipped), so that what a server sent is seen exactly.
 * @module
 */
import { connect } from "node:net";
import type { FuzzCase } from "./generate.ts";

/** What one connection got back. */
export interface Exchange {
  statuses: number[];
  /** The text after `tag=` of each 200 (the app echoes the tag it saw). */
  tags: string[];
  /** The server closed the connection (rather than the client giving up after `idleMs`). */
  closedByServer: boolean;
  port: number;
}

/** Reads the responses in `data` in order; stops at the first incomplete one. */
function parseResponses(data: Buffer, methods: string[]): { statuses: number[]; tags: string[] } {
  const statuses: number[] = [];
  const tags: string[] = [];
  let offset = 0;
  let request = 0;
  for (;;) {
    const end = data.indexOf("\r\n\r\n", offset);
    if (end === -1) break;
    const lines = data.subarray(offset, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? NaN);
    if (Number.isNaN(status)) break;
    const header = (name: string) =>
      lines
        .find((l) => l.toLowerCase().startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim();
    let at = end + 4;
    if (status >= 100 && status < 200) {
      offset = at;
      continue;
    }
    let body: string | undefined;
    const method = methods[request] ?? "GET";
    if (method !== "HEAD" && status !== 204 && status !== 304) {
      body = "";
      if (header("transfer-encoding")?.toLowerCase() === "chunked") {
        let complete = false;
        for (;;) {
          const lineEnd = data.indexOf("\r\n", at);
          if (lineEnd === -1) break;
          const size = Number.parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
          if (size === 0) {
            const close = data.indexOf("\r\n\r\n", lineEnd);
            if (close === -1) break;
            at = close + 4;
            complete = true;
            break;
          }
          if (data.length < lineEnd + 2 + size + 2) break;
          body += data.subarray(lineEnd + 2, lineEnd + 2 + size).toString("latin1");
          at = lineEnd + 2 + size + 2;
        }
        if (!complete) break;
      } else {
        const length = Number(header("content-length") ?? 0);
        if (data.length < at + length) break;
        body = data.subarray(at, at + length).toString("latin1");
        at += length;
      }
    }
    statuses.push(status);
    tags.push(
      status === 200 && body !== undefined ? (/^tag=(.*)$/.exec(body)?.[1] ?? `?${body.slice(0, 40)}`) : "",
    );
    request++;
    offset = at;
  }
  return { statuses, tags };
}

/** Sends the case on a fresh connection; resolves once every request is answered, the server closes, or `idleMs` pass in silence. */
export function exchange(port: number, c: FuzzCase, idleMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let data = Buffer.alloc(0);
    let localPort = 0;
    let done = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      socket.destroy();
      resolve({ ...parseResponses(data, c.methods), closedByServer, port: localPort });
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(false), idleMs);
    };
    socket.on("connect", () => {
      localPort = socket.localPort ?? 0;
      socket.write(c.bytes);
      arm();
    });
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (parseResponses(data, c.methods).statuses.length >= c.tags.length) finish(false);
      else arm();
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
  });
}
