/** tsgi/fetch in Node: what the conformance table does not reach (Fetch-specific mapping and streaming). */
import { describe, expect, it } from "vitest";
import { createFetchHandler, targetOf } from "../../adapters/fetch.ts";
import type { App, Environ } from "../../core/index.ts";
import { createErrorStream } from "../../core/index.ts";
import { copyRuleTests } from "../support/copy-rule.ts";

const text = (s: string) => new TextEncoder().encode(s);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function capture() {
  let logged = "";
  return { errors: createErrorStream((line) => (logged += `${line}\n`)), logged: () => logged };
}

/** An app that records the environ it got and answers 200 "ok". */
function recorder(): { app: App; environ: () => Environ } {
  let seen: Environ | undefined;
  return {
    app: (environ, startResponse) => {
      seen = environ;
      startResponse("200 OK", []);
      return [text("ok")];
    },
    environ: () => seen!,
  };
}

const readsFour: App = async (environ, startResponse) => {
  const first = await environ["tsgi.input"].read(4);
  startResponse("200 OK", []);
  return [first];
};

const earlyHints: App = (_environ, startResponse) => {
  startResponse("103 Early Hints", []);
  return [];
};

const resetOrHead: App = (environ, startResponse) => {
  startResponse(environ.REQUEST_METHOD === "HEAD" ? "200 OK" : "205 Reset Content", [
    ["Content-Type", "text/plain"],
  ]);
  return [text("dropped")];
};

const withTask: App = (environ, startResponse) => {
  environ["tsgi.wait_until"](Promise.resolve(1));
  startResponse("200 OK", []);
  return [text("ok")];
};

describe("targetOf", () => {
  it.each([
    ["http://example.com/a?b=1", "/a?b=1"],
    ["https://example.com:8443//evil.example/x", "//evil.example/x"],
    ["http://example.com", "/"],
    ["http://example.com?q", "/?q"],
    ["http://[::1]:8080/p%20q", "/p%20q"],
  ])("%s -> %s", (url, target) => expect(targetOf(url)).toBe(target));
});

describe("incoming", () => {
  it("turns Cookie values joined with ', ' back into '; '", async () => {
    const { app, environ } = recorder();
    const headers = new Headers();
    headers.append("Cookie", "a=1, b=2");
    await createFetchHandler(app)(new Request("http://example.com/", { headers }));
    expect(environ().HTTP_COOKIE).toBe("a=1; b=2");
  });

  it("adds Host from the URL when the Request has none, and keeps the URL's port", async () => {
    const { app, environ } = recorder();
    await createFetchHandler(app)(new Request("https://api.example.com:8443/x"));
    expect(environ().HTTP_HOST).toBe("api.example.com:8443");
    expect(environ().SERVER_PORT).toBe("8443");
    expect(environ()["tsgi.url_scheme"]).toBe("https");
  });

  it("encodes header text back to UTF-8 bytes with headerText 'utf8' (workerd)", async () => {
    const { app, environ } = recorder();
    const request = new Request("http://example.com/", { headers: { "X-Name": "caf\u00e9" } });
    await createFetchHandler(app, { headerText: "utf8" })(request);
    expect(environ().HTTP_X_NAME).toBe("caf\u00c3\u00a9");
  });

  it("reads the request body lazily, only as the app reads", async () => {
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(text("0123456789"));
        if (pulled === 1000) controller.close();
      },
    });
    const request = new Request("http://example.com/", {
      method: "POST",
      body: source,
      duplex: "half",
    } as RequestInit);
    const response = await createFetchHandler(readsFour)(request);
    expect(await response.text()).toBe("0123");
    expect(pulled).toBeLessThan(5);
  });
});

describe("outgoing", () => {
  it("answers 502 (logged) when an app gives a 1xx final status, which a Response cannot hold", async () => {
    const { errors, logged } = capture();
    const response = await createFetchHandler(earlyHints, { errors })(new Request("http://example.com/"));
    expect(response.status).toBe(502);
    expect(await response.text()).toBe("502 Bad Gateway\n");
    expect(logged()).toMatch(/status 103 cannot be represented/);
  });

  it("gives 205 and HEAD responses a null body, headers kept", async () => {
    const handler = createFetchHandler(resetOrHead);
    const reset = await handler(new Request("http://example.com/"));
    expect(reset.status).toBe(205);
    expect(reset.body).toBeNull();
    const head = await handler(new Request("http://example.com/", { method: "HEAD" }));
    expect(head.body).toBeNull();
    expect(head.headers.get("content-length")).toBe("7");
  });

  it("resolves the Response only when the first non-empty chunk is there", async () => {
    let resolved = false;
    const app: App = (_environ, startResponse) => {
      startResponse("200 OK", []);
      return (async function* () {
        await sleep(30);
        yield text("late");
      })();
    };
    const pending = createFetchHandler(app)(new Request("http://example.com/")).then((r) => {
      resolved = true;
      return r;
    });
    await sleep(10);
    expect(resolved).toBe(false);
    expect(await (await pending).text()).toBe("late");
  });

  it("iterates the app only as the client reads, and closes it once on cancel", async () => {
    let produced = 0;
    let closed = 0;
    const app: App = (_environ, startResponse) => {
      startResponse("200 OK", []);
      return Object.assign(
        (function* () {
          for (;;) yield text(`chunk ${++produced}\n`);
        })(),
        { close: () => void closed++ },
      );
    };
    const response = await createFetchHandler(app)(new Request("http://example.com/"));
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    await sleep(20);
    expect(produced).toBeLessThanOrEqual(3);
    await reader.cancel();
    await sleep(10);
    expect(closed).toBe(1);
  });
});

describe("tsgi.wait_until", () => {
  it("goes to the platform's waitUntil, and never throws even when that does", async () => {
    const given: unknown[] = [];
    const { errors, logged } = capture();
    const handler = createFetchHandler(withTask, { errors });
    await (await handler(new Request("http://example.com/"), { waitUntil: (p) => given.push(p) })).text();
    expect(given.length).toBeGreaterThanOrEqual(1);
    const refusing = {
      waitUntil: () => {
        throw new Error("no");
      },
    };
    expect((await handler(new Request("http://example.com/"), refusing)).status).toBe(200);
    expect(logged()).toMatch(/refused a tsgi.wait_until task/);
  });

  it("without a platform waitUntil, settle() waits for the tasks", async () => {
    let done = false;
    const app: App = (environ, startResponse) => {
      environ["tsgi.wait_until"](sleep(20).then(() => (done = true)));
      startResponse("200 OK", []);
      return [text("ok")];
    };
    const handler = createFetchHandler(app);
    await (await handler(new Request("http://example.com/"))).text();
    expect(done).toBe(false);
    await handler.settle();
    expect(done).toBe(true);
  });
});

describe("one handler, many requests", () => {
  it("gives each request only its own headers, whatever the requests before it sent", async () => {
    const { app, environ } = recorder();
    const handler = createFetchHandler(app, { errors: capture().errors });
    const keysOf = async (request: Request) => {
      await (await handler(request)).arrayBuffer();
      return Object.keys(environ())
        .filter((key) => key.startsWith("HTTP_"))
        .toSorted();
    };
    const many = new Request("http://a.example/x", {
      headers: { "x-one": "1", "x-two": "2", "x-three": "3", cookie: "a=1, b=2" },
    });
    expect(await keysOf(many)).toEqual([
      "HTTP_COOKIE",
      "HTTP_HOST",
      "HTTP_X_ONE",
      "HTTP_X_THREE",
      "HTTP_X_TWO",
    ]);
    expect(environ().HTTP_COOKIE).toBe("a=1; b=2");
    expect(await keysOf(new Request("http://b.example/y", { headers: { "x-two": "two" } }))).toEqual([
      "HTTP_HOST",
      "HTTP_X_TWO",
    ]);
    expect(environ().HTTP_X_TWO).toBe("two");
    expect(environ().SERVER_NAME).toBe("b.example");
    expect(await keysOf(new Request("http://c.example/z"))).toEqual(["HTTP_HOST"]);
    expect(environ().HTTP_HOST).toBe("c.example");
  });
});

copyRuleTests("Node (undici)");
