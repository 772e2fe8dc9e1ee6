/** Test helpers for core: a GatewayRequest maker and a ResponseSink that records what it was given. */
import {
  createErrorStream,
  type GatewayRequest,
  type ResponseHead,
  type ResponseSink,
} from "../../core/index.ts";

export function makeInfo(overrides: Partial<GatewayRequest> = {}): GatewayRequest & { logged: () => string } {
  let log = "";
  return {
    method: "GET",
    target: "/",
    headers: [["Host", "example.com"]],
    body: null,
    scheme: "http",
    protocol: "HTTP/1.1",
    serverName: "localhost",
    serverPort: "8000",
    errors: createErrorStream((line) => (log += `${line}\n`)),
    multithread: true,
    multiprocess: false,
    waitUntil: () => {},
    logged: () => log,
    ...overrides,
  };
}

export interface Recorded {
  head: ResponseHead | undefined;
  chunks: Uint8Array[];
  ended: boolean;
  aborted: unknown;
  events: string[];
  text(): string;
}

export function recordingSink(
  options: { signal?: AbortSignal; onChunk?: (c: Uint8Array) => void | Promise<void> } = {},
): ResponseSink & { recorded: Recorded } {
  const recorded: Recorded = {
    head: undefined,
    chunks: [],
    ended: false,
    aborted: undefined,
    events: [],
    text: () => new TextDecoder().decode(Buffer.concat(recorded.chunks)),
  };
  return {
    recorded,
    signal: options.signal,
    head(head) {
      recorded.events.push(`head ${head.status}`);
      recorded.head = head;
    },
    async chunk(bytes) {
      recorded.events.push(`chunk ${bytes.byteLength}`);
      recorded.chunks.push(bytes.slice());
      await options.onChunk?.(bytes);
    },
    end() {
      recorded.events.push("end");
      recorded.ended = true;
    },
    abort(reason) {
      recorded.events.push("abort");
      recorded.aborted = reason ?? true;
    },
  };
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
