/**
 * The conformance table's requests as Fetch Requests, and Fetch Responses read back, for drivers
 * that call a Fetch handler in-process (Node, workerd). Platform-neutral: no Node imports.
 * @module
 */
import { latin1ToBytes } from "../../core/index.ts";
import type { Capability, TestRequest, TestResponse } from "./types.ts";

/** What a Fetch handler in Node can carry: Fetch's Request normalizes the URL and joins repeated headers. */
export const FETCH_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  "header-names",
  "raw-host",
  "raw-target",
  "encoded-path",
  "raw-query",
  "repeated-header-values",
  "set-cookie-list",
  "non-utf8-headers",
  "chunked-request",
  "abort",
  "strict-host",
  "extension-methods",
  "reserved-event-paths",
]);

const utf8 = new TextDecoder();

/**
 * Builds the Request a Fetch runtime would hand over for `request`: an absolute URL from the Host
 * header (the Request constructor normalizes it: `..` resolved), repeated headers joined by
 * `Headers`, and a chunked body as a stream of unknown length.
 */
export function toFetchRequest(
  request: TestRequest,
  options: { headerText?: "latin1" | "utf8"; extraHeaders?: Array<[string, string]> } = {},
): Request {
  const host = request.headers.find(([n]) => n.toLowerCase() === "host")?.[1] ?? "example.com:8080";
  const chunked = request.headers.some(([n]) => n.toLowerCase() === "transfer-encoding");
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() === "transfer-encoding") continue;
    // workerd hands header bytes to the Worker decoded as UTF-8 (what its HTTP server does).
    headers.append(name, options.headerText === "utf8" ? utf8.decode(latin1ToBytes(value)) : value);
  }
  for (const [name, value] of options.extraHeaders ?? []) headers.set(name, value);
  let body: ReadableStream<Uint8Array> | Uint8Array | null = null;
  if (request.body && request.body.byteLength > 0) {
    const bytes = request.body;
    body = chunked
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        })
      : bytes;
  }
  // A Host that is no URL host (`a"><svg>`) still reaches the app as a header, as a runtime's own
  // HTTP server would pass it on; the URL then takes a stand-in authority.
  const url =
    URL.canParse(`http://${host}${request.target}`) && !host.includes("@")
      ? `http://${host}${request.target}`
      : `http://example.com:8080${request.target}`;
  return new Request(url, {
    method: request.method,
    headers,
    body,
    ...(body ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** Reads a Response fully; a body stream that fails midway marks it `aborted`, with what came before. */
export async function fromFetchResponse(response: Response): Promise<TestResponse> {
  const parts: Uint8Array[] = [];
  let aborted = false;
  if (response.body) {
    const reader = response.body.getReader();
    reader.closed.catch(() => undefined);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
      }
    } catch {
      aborted = true;
    }
  }
  const body = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers.push([name, value]);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push(["set-cookie", cookie]);
  return { status: response.status, reason: response.statusText, headers, body, aborted };
}
