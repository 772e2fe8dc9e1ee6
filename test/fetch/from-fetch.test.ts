/**
 * fromFetch's own rules: the URL it rebuilds, the body read lazily, the signal when the client goes
 * away (over a real socket), close() cancelling the response body, and the status line.
 */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createFetchHandler, fromFetch, requestUrl } from "../../adapters/fetch.ts";
import { serve } from "../../adapters/node.ts";
import { type Environ, buildEnviron, createErrorStream, mount } from "../../core/index.ts";

const quiet = createErrorStream(() => {});
const environOf = (target: string, host: string | null = "example.com", scriptName?: string): Environ =>
  buildEnviron({
    method: "GET",
    target,
    headers: host === null ? [] : [["Host", host]],
    body: null,
    scheme: "https",
    protocol: host === null ? "HTTP/1.0" : "HTTP/1.1",
    serverName: "fallback.example",
    serverPort: "8443",
    errors: quiet,
    multithread: true,
    multiprocess: false,
    waitUntil: () => {},
    scriptName,
  });

describe("fromFetch: the request URL (PEP 3333 reconstruction)", () => {
  it.each([
    ["/a%2Fb?x=1", undefined, "https://example.com/a%2Fb?x=1"],
    ["/search?", undefined, "https://example.com/search?"],
    ["/caf%C3%A9/%41?q=%20+", undefined, "https://example.com/caf%C3%A9/%41?q=%20+"],
    ["/app/items?x", "/app", "https://example.com/app/items?x"],
    ["http://other.example/abs?y", undefined, "https://example.com/abs?y"],
    ["/raw\u00e9", undefined, "https://example.com/raw%E9"],
  ])("%s (mount %s) gives %s", (target, scriptName, url) => {
    expect(requestUrl(environOf(target, "example.com", scriptName))).toBe(url);
  });

  it("without Host, the URL names SERVER_NAME and SERVER_PORT", () => {
    expect(requestUrl(environOf("/x", null))).toBe("https://fallback.example:8443/x");
  });

  it("once a middleware moved the path (mount), the target is rebuilt from SCRIPT_NAME + PATH_INFO", () => {
    const environ = environOf("/api/a%2Fb?q");
    let seen = "";
    const app = mount({ "/api": (e, s) => ((seen = requestUrl(e)), s("200 OK", []), []) });
    void app(environ, () => async () => {});
    // Still the same path: the original target is kept, %2F included.
    expect(seen).toBe("https://example.com/api/a%2Fb?q");
    const rewritten = environOf("/old/x?q");
    rewritten.PATH_INFO = "/new/x y";
    expect(requestUrl(rewritten)).toBe("https://example.com/new/x%20y?q");
  });
});

describe("fromFetch: bodies and signals", () => {
  it("reads tsgi.input lazily, 64 KiB at a time: a handler that reads once pulls 64 KiB of 1.6 MB", async () => {
    let pulls = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          if (pulls > 100) controller.close();
          else controller.enqueue(new Uint8Array(16 * 1024).fill(pulls));
        },
      },
      { highWaterMark: 0 },
    );
    const inner = async (request: Request) => {
      const reader = request.body!.getReader();
      const first = await reader.read();
      await reader.cancel();
      return new Response(`first ${first.value?.byteLength}`);
    };
    const handler = createFetchHandler(fromFetch(inner), { errors: quiet });
    const response = await handler(
      new Request("http://example.com/up", { method: "POST", body: source, duplex: "half" } as RequestInit),
    );
    expect(await response.text()).toBe("first 65536");
    expect(pulls).toBeLessThanOrEqual(6);
  });

  it("GET and HEAD carry no body; the status line gets the standard reason when statusText is empty", async () => {
    const seen: Array<boolean> = [];
    const inner = (request: Request) => {
      seen.push(request.body === null);
      return new Response(null, { status: 204 });
    };
    const app = fromFetch(inner);
    const statuses: string[] = [];
    for (const method of ["GET", "HEAD"]) {
      const environ = environOf("/");
      environ.REQUEST_METHOD = method;
      await app(environ, (status) => (statuses.push(status), async () => {}));
    }
    expect(seen).toEqual([true, true]);
    expect(statuses).toEqual(["204 No Content", "204 No Content"]);
    const custom = fromFetch(() => new Response("x", { status: 299, statusText: "Fine Thanks" }));
    await custom(environOf("/"), (status) => (statuses.push(status), async () => {}));
    expect(statuses.at(-1)).toBe("299 Fine Thanks");
  });

  it("a client that goes away aborts the Request's signal and cancels the response body", async () => {
    let aborted: (() => void) | undefined;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    let cancelled: (() => void) | undefined;
    const cancelSeen = new Promise<void>((resolve) => (cancelled = resolve));
    const inner = (request: Request) => {
      request.signal.addEventListener("abort", () => aborted!());
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((r) => setTimeout(r, 10));
          controller.enqueue(new TextEncoder().encode(`chunk ${n++}\n`));
        },
        cancel: () => cancelled!(),
      });
      return new Response(body);
    };
    const server = await serve(fromFetch(inner), { port: 0, errors: quiet });
    try {
      const socket = connect(server.port, "127.0.0.1");
      socket.write("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
      await new Promise<void>((resolve) => socket.once("data", () => resolve()));
      socket.destroy();
      await Promise.all([abortSeen, cancelSeen]);
    } finally {
      await server.close();
    }
  });
});

describe("fromFetch: what the handler returns", () => {
  it("a handler that returns no Response is an app error: a 500 without internals, the reason logged", async () => {
    let logged = "";
    const handler = createFetchHandler(fromFetch((() => ({ nope: true })) as never), {
      errors: createErrorStream((line) => (logged += line)),
    });
    const response = await handler(new Request("http://example.com/"));
    expect(response.status).toBe(500);
    expect(logged).toMatch(/not a Response/);
  });
});
