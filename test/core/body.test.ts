import { describe, expect, it } from "vitest";
import { type App, type Body, buildEnviron, closing, runApp, serveRequest } from "../../core/index.ts";
import { enc, makeInfo, recordingSink } from "./helpers.ts";

/** A body that counts return() and close() calls. */
function counted(chunks: Array<Uint8Array | Error>, opts: { async?: boolean } = {}) {
  const calls = { return: 0, close: 0, next: 0 };
  const iterator = {
    i: 0,
    next() {
      calls.next++;
      const item = chunks[this.i++];
      if (item instanceof Error) throw item;
      const result =
        item === undefined
          ? { done: true as const, value: undefined }
          : { done: false as const, value: item };
      return opts.async ? Promise.resolve(result) : result;
    },
    return() {
      calls.return++;
      const result = { done: true as const, value: undefined };
      return opts.async ? Promise.resolve(result) : result;
    },
  };
  const body = {
    [opts.async ? Symbol.asyncIterator : Symbol.iterator]: () => iterator,
    close() {
      calls.close++;
    },
  } as unknown as Body;
  return { body, calls };
}

const appWith =
  (body: Body, status = "200 OK"): App =>
  (_e, start) => {
    start(status, [["Content-Type", "text/plain"]]);
    return body;
  };

async function run(app: App, info = makeInfo(), sink = recordingSink()) {
  await runApp(app, buildEnviron(info), sink);
  return { sink: sink.recorded, log: info.logged() };
}

describe("runApp: close() and return()", () => {
  it.each([false, true])("normal end (async=%s): close once, no return()", async (isAsync) => {
    const { body, calls } = counted([enc("a"), enc("b")], { async: isAsync });
    const { sink } = await run(appWith(body));
    expect(sink.text()).toBe("ab");
    expect(calls).toMatchObject({ return: 0, close: 1 });
    expect(sink.events).toEqual(["head 200", "chunk 1", "chunk 1", "end"]);
  });
  it("error mid-body: return() not needed after a throw, close once, abort", async () => {
    const { body, calls } = counted([enc("a"), new Error("boom")]);
    const { sink, log } = await run(appWith(body));
    expect(calls.close).toBe(1);
    expect(sink.events).toEqual(["head 200", "chunk 1", "abort"]);
    expect(log).toMatch(/boom/);
  });
  it("overflow past Content-Length: return() and close() once each", async () => {
    const { body, calls } = counted([enc("hello"), enc("more")]);
    const app: App = (_e, start) => {
      start("200 OK", [["Content-Length", "2"]]);
      return body;
    };
    const { sink } = await run(app);
    expect(sink.text()).toBe("he");
    expect(calls).toMatchObject({ return: 1, close: 1, next: 1 });
    expect(sink.ended).toBe(true);
  });
  it("client disconnect while the app waits: close once, return() called", async () => {
    const controller = new AbortController();
    let returned = 0;
    let closed = 0;
    const body = {
      [Symbol.asyncIterator]() {
        let n = 0;
        return {
          next: () =>
            n++ === 0 ? Promise.resolve({ done: false, value: enc("x") }) : new Promise<never>(() => {}),
          return: () => {
            returned++;
            return Promise.resolve({ done: true as const, value: undefined });
          },
        };
      },
      close: () => void closed++,
    } as Body;
    const sink = recordingSink({
      onChunk: () => void setTimeout(() => controller.abort(), 10),
      signal: controller.signal,
    });
    await run(appWith(body), makeInfo(), sink);
    expect([returned, closed]).toEqual([1, 1]);
    expect(sink.recorded.aborted).toBeTruthy();
  });
  it("a HEAD request iterates and closes the body but sends no bytes", async () => {
    const { body, calls } = counted([enc("abc")]);
    const { sink } = await run(appWith(body), makeInfo({ method: "HEAD" }));
    expect(sink.chunks).toEqual([]);
    expect(calls).toMatchObject({ next: 2, close: 1 });
  });
});

describe("runApp: start_response state machine", () => {
  it("headers wait for the first non-empty chunk", async () => {
    const events: string[] = [];
    const app: App = (_e, start) => {
      start("200 OK", []);
      return (function* () {
        events.push("empty");
        yield new Uint8Array(0);
        events.push("data");
        yield enc("x");
      })();
    };
    const sink = recordingSink();
    const origHead = sink.head;
    sink.head = (h) => {
      events.push("head");
      return origHead(h);
    };
    await run(app, makeInfo(), sink);
    expect(events).toEqual(["empty", "data", "head"]);
  });
  it("excInfo after the headers went out rethrows the same object", async () => {
    const thrown = new Error("original");
    let caught: unknown;
    const app: App = (_e, start) => {
      start("200 OK", []);
      return (function* () {
        yield enc("x");
        try {
          start("500 Oops", [], thrown);
        } catch (error) {
          caught = error;
        }
      })();
    };
    await run(app);
    expect(caught).toBe(thrown);
  });
  it("write() misuse throws synchronously", async () => {
    const outcomes: string[] = [];
    const app: App = async (_e, start) => {
      const write = start("200 OK", []);
      try {
        void write("text" as never);
      } catch (error) {
        outcomes.push((error as Error).name);
      }
      return [];
    };
    await run(app);
    expect(outcomes).toEqual(["InvalidChunkError"]);
  });
  it("an empty body gets Content-Length 0", async () => {
    const { sink } = await run(appWith([]));
    expect(sink.head?.headers).toContainEqual(["Content-Length", "0"]);
  });
  it("a non-iterable return value is a 500", async () => {
    const app: App = (_e, start) => {
      start("200 OK", []);
      return "text" as never;
    };
    const { sink, log } = await run(app);
    expect(sink.head?.status).toBe(500);
    expect(log).toMatch(/iterable/);
  });
  it("each chunk is handed on before the next next()", async () => {
    const order: string[] = [];
    const app: App = (_e, start) => {
      start("200 OK", []);
      return (function* () {
        for (const c of ["a", "b"]) {
          order.push(`yield ${c}`);
          yield enc(c);
        }
      })();
    };
    const sink = recordingSink({ onChunk: (c) => void order.push(`sent ${new TextDecoder().decode(c)}`) });
    await run(app, makeInfo(), sink);
    expect(order).toEqual(["yield a", "sent a", "yield b", "sent b"]);
  });
});

describe("serveRequest", () => {
  it("answers a bad request with 400 and never calls the app", async () => {
    let called = false;
    const sink = recordingSink();
    const info = makeInfo({
      headers: [
        ["Host", "a"],
        ["Host", "b"],
      ],
    });
    await serveRequest(
      () => {
        called = true;
        return [];
      },
      info,
      sink,
    );
    expect(called).toBe(false);
    expect(sink.recorded.head?.status).toBe(400);
    expect(info.logged()).toMatch(/two different Host headers/);
  });
});

describe("closing", () => {
  it("runs the body's close and every cleanup once, in order, even if one fails", async () => {
    const order: string[] = [];
    const body = Object.assign([enc("x")], { close: () => void order.push("body") });
    const wrapped = closing(
      body,
      () => {
        order.push("one");
        throw new Error("cleanup failed");
      },
      () => void order.push("two"),
    );
    expect(Array.isArray(wrapped)).toBe(true);
    await expect(Promise.resolve(wrapped.close?.())).rejects.toThrow("cleanup failed");
    await wrapped.close?.();
    expect(order).toEqual(["body", "one", "two"]);
  });
  it("keeps an async body async", async () => {
    const wrapped = closing(
      (async function* () {
        yield enc("a");
      })(),
    );
    const seen: Uint8Array[] = [];
    for await (const c of wrapped as AsyncIterable<Uint8Array>) seen.push(c);
    expect(seen).toHaveLength(1);
  });
});

describe("whole responses (ResponseSink.whole)", () => {
  /** A sink that has whole(), recording which path the core took. */
  function wholeSink() {
    const calls: string[] = [];
    let sent: { status: number; headers: Array<[string, string]>; body: string } | undefined;
    const sink = {
      head: () => void calls.push("head"),
      chunk: () => void calls.push("chunk"),
      end: () => void calls.push("end"),
      abort: () => void calls.push("abort"),
      whole(head: { status: number; headers: Array<[string, string]> }, body: Uint8Array) {
        calls.push("whole");
        sent = { status: head.status, headers: head.headers, body: new TextDecoder().decode(body) };
      },
    };
    return { sink, calls, sent: () => sent };
  }

  it.each([
    [
      "an array body",
      (_e: unknown, start: (s: string, h: Array<[string, string]>) => unknown) => {
        start("200 OK", [["Content-Type", "text/plain"]]);
        return [enc("ab"), enc(""), enc("c")];
      },
      ["whole"],
      "abc",
    ],
    [
      "HEAD: no body bytes, Content-Length kept",
      (_e: unknown, start: (s: string, h: Array<[string, string]>) => unknown) => {
        start("200 OK", []);
        return [enc("abc")];
      },
      ["whole"],
      "",
    ],
  ])("sends %s in one call", async (_name, app, calls, body) => {
    const { sink, calls: seen, sent } = wholeSink();
    const method = _name.startsWith("HEAD") ? "HEAD" : "GET";
    await runApp(app as App, buildEnviron(makeInfo({ method })), sink);
    expect(seen).toEqual(calls);
    expect(sent()?.body).toBe(body);
    expect(sent()?.headers).toContainEqual(["Content-Length", "3"]);
  });

  it("takes the general path after write(), or for a length the body does not match", async () => {
    const written: App = (_e, start) => {
      void start("200 OK", [])(enc("x"));
      return [enc("y")];
    };
    const mismatch: App = (_e, start) => {
      start("200 OK", [["Content-Length", "5"]]);
      return [enc("abc")];
    };
    for (const app of [written, mismatch]) {
      const { sink, calls } = wholeSink();
      await runApp(app, buildEnviron(makeInfo()), sink);
      expect(calls).not.toContain("whole");
    }
  });

  it("closes an array body exactly once, after the sink took the bytes", async () => {
    const { sink, calls } = wholeSink();
    let closed = 0;
    const body = Object.assign([enc("a")], { close: () => void calls.push(`close ${++closed}`) });
    await runApp(appWith(body), buildEnviron(makeInfo()), sink);
    expect(calls).toEqual(["whole", "close 1"]);
  });
});

describe("startApp: the synchronous path", () => {
  it("returns undefined when an array body went out through whole(), a promise otherwise", async () => {
    const { startApp } = await import("../../core/run.ts");
    const sync: App = (_e, start) => {
      start("200 OK", []);
      return [enc("a")];
    };
    const async_: App = async (_e, start) => {
      start("200 OK", []);
      return [enc("a")];
    };
    const sink = { head() {}, chunk() {}, end() {}, abort() {}, whole() {} };
    expect(startApp(sync, buildEnviron(makeInfo()), sink)).toBeUndefined();
    const pending = startApp(async_, buildEnviron(makeInfo()), sink);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
  });

  it("never reads the sink's signal for a whole response", async () => {
    let reads = 0;
    const sink = {
      get signal() {
        reads++;
        return new AbortController().signal;
      },
      head() {},
      chunk() {},
      end() {},
      abort() {},
      whole() {},
    };
    await runApp(appWith([enc("a")]), buildEnviron(makeInfo()), sink);
    expect(reads).toBe(0);
  });
});
