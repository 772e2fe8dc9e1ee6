import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  buildEnviron,
  createWaitUntil,
  headersToEnviron,
  splitTarget,
} from "../../core/index.ts";
import { makeInfo } from "./helpers.ts";

describe("splitTarget", () => {
  it.each([
    ["/a?b=c", "/a", "b=c"],
    ["/a?b=c?d", "/a", "b=c?d"],
    ["/a?", "/a", ""],
    ["/a#frag", "/a", ""],
    ["/a?x#frag", "/a", "x"],
    ["http://host:81/p/q?x=1", "/p/q", "x=1"],
    ["http://host", "/", ""],
    ["//host/x", "//host/x", ""],
    ["*", "", ""],
  ])("%s", (target, path, query) => {
    expect(splitTarget(target)).toEqual({ path, query });
  });
});

describe("headersToEnviron", () => {
  it.each([
    [
      [
        ["Accept", "a"],
        ["accept", "b"],
      ],
      { HTTP_ACCEPT: "a, b" },
    ],
    [
      [
        ["Cookie", "a=1"],
        ["cookie", "b=2"],
      ],
      { HTTP_COOKIE: "a=1; b=2" },
    ],
    [
      [
        ["Content-Type", "x/y"],
        ["Content-Length", "007"],
      ],
      { CONTENT_TYPE: "x/y", CONTENT_LENGTH: "7" },
    ],
    [[["Content-Length", "5, 5"]], { CONTENT_LENGTH: "5" }],
    [
      [
        ["X_Spoof", "1"],
        ["X-Ok", " v "],
      ],
      { HTTP_X_OK: "v" },
    ],
    [
      [
        ["Host", "h"],
        ["Host", "h"],
      ],
      { HTTP_HOST: "h" },
    ],
    [[["X-Utf8", "☃"]], { HTTP_X_UTF8: "\u00e2\u0098\u0083" }],
  ] as Array<[Array<[string, string]>, Record<string, string>]>)("%j", (pairs, keys) => {
    expect(headersToEnviron(pairs).keys).toEqual(keys);
  });
  it.each([
    [
      [
        ["Host", "a"],
        ["Host", "b"],
      ],
      /Host/,
    ],
    [
      [
        ["Content-Length", "1"],
        ["Content-Length", "2"],
      ],
      /Content-Length/,
    ],
    [[["Content-Length", "5, 6"]], /Content-Length/],
    [[["Content-Length", "-1"]], /Content-Length/],
    [[["Content-Length", "1e3"]], /Content-Length/],
    [
      [
        ["Content-Type", "a/b"],
        ["Content-Type", "c/d"],
      ],
      /Content-Type/,
    ],
    [[["Bad Name", "v"]], /header name/],
    [[["X-A", "a\r\nb"]], /invalid character/],
    [
      [
        ["Transfer-Encoding", "chunked"],
        ["Content-Length", "3"],
      ],
      /Transfer-Encoding/,
    ],
  ] as Array<[Array<[string, string]>, RegExp]>)("%j is a bad request", (pairs, message) => {
    expect(() => headersToEnviron(pairs)).toThrow(BadRequestError);
    expect(() => headersToEnviron(pairs)).toThrow(message);
  });
});

describe("headersToEnviron: repeated names with cached name lookups", () => {
  it("joins every spelling of one name, request after request", () => {
    for (let i = 0; i < 3; i++) {
      const keys = headersToEnviron([
        ["X-Rep", "a"],
        ["X-REP", "b"],
        ["x-rep", "c"],
        ["X-Other", "o"],
      ]).keys;
      expect(keys).toEqual({ HTTP_X_REP: "a, b, c", HTTP_X_OTHER: "o" });
    }
    expect(headersToEnviron([["X-rEp", "only"]]).keys).toEqual({ HTTP_X_REP: "only" });
  });

  it("joins repeated names after the name cache is full (2000 distinct names)", () => {
    for (let i = 0; i < 2000; i++) headersToEnviron([[`X-Fill-${i}`, "v"]]);
    expect(
      headersToEnviron([
        ["X-Late-Name", "a"],
        ["X-Rep", "b"],
        ["x-late-name", "c"],
        ["X-LATE-NAME", "d"],
        ["x-rep", "e"],
      ]).keys,
    ).toEqual({ HTTP_X_LATE_NAME: "a, c, d", HTTP_X_REP: "b, e" });
    expect(
      headersToEnviron([
        ["X-Rep", "1"],
        ["X-Late-Other", "2"],
        ["X-REP", "3"],
      ]).keys,
    ).toEqual({ HTTP_X_REP: "1, 3", HTTP_X_LATE_OTHER: "2" });
  });
});

describe("buildEnviron", () => {
  it("returns a fresh plain object per call, with frozen tsgi.version", () => {
    const info = makeInfo();
    const a = buildEnviron(info);
    const b = buildEnviron(info);
    expect(a).not.toBe(b);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.isFrozen(a["tsgi.version"])).toBe(true);
    a.PATH_INFO = "/changed";
    expect(b.PATH_INFO).toBe("/");
  });
  it.each([
    ["/app", "/app/x", "/app", "/x"],
    ["/app/", "/app", "/app", ""],
    ["app", "/app/", "/app", "/"],
    ["/app", "/apple", "", "/apple"],
    ["/app", "/other", "", "/other"],
    ["/", "/x", "", "/x"],
    ["/a%20b", "/a%20b/x", "", "/a b/x"],
    ["/a b", "/a%20b/x", "/a b", "/x"],
  ])("mount %s on %s -> SCRIPT_NAME %j PATH_INFO %j", (mount, target, script, path) => {
    const environ = buildEnviron(makeInfo({ scriptName: mount, target }));
    expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual([script, path]);
  });
  it.each([
    ["example.com", "example.com", "80"],
    ["EXAMPLE.com:8080", "example.com", "8080"],
    ["[::1]:9000", "[::1]", "9000"],
    ["[::1]", "[::1]", "80"],
  ])("Host %s -> SERVER_NAME %s SERVER_PORT %s", (host, name, port) => {
    const environ = buildEnviron(makeInfo({ headers: [["Host", host]] }));
    expect([environ.SERVER_NAME, environ.SERVER_PORT]).toEqual([name, port]);
  });
  it("falls back to the platform's server name and port without Host (HTTP/1.0)", () => {
    const environ = buildEnviron(
      makeInfo({ headers: [], protocol: "HTTP/1.0", serverName: "srv", serverPort: "81" }),
    );
    expect([environ.SERVER_NAME, environ.SERVER_PORT]).toEqual(["srv", "81"]);
  });
  it.each([
    [{ headers: [] }, /Host/],
    [{ headers: [["Host", "a b"]] }, /Host/],
    [{ method: "GE T" }, /method/],
    [{ target: "/a b" }, /target/],
    [{ target: "relative" }, /target/],
  ] as const)("%j is a bad request", (overrides, message) => {
    expect(() => buildEnviron(makeInfo(overrides as never))).toThrow(message);
  });
  it("a buffered body sets CONTENT_LENGTH from its bytes", () => {
    const environ = buildEnviron(
      makeInfo({
        body: new Uint8Array(5),
        headers: [
          ["Host", "h"],
          ["Content-Length", "99"],
        ],
      }),
    );
    expect(environ.CONTENT_LENGTH).toBe("5");
  });
  it("no CONTENT_LENGTH for an empty buffered body without the header", () => {
    const environ = buildEnviron(makeInfo({ body: new Uint8Array(0) }));
    expect("CONTENT_LENGTH" in environ).toBe(false);
  });
  it("wide characters in the target are taken as UTF-8 bytes", () => {
    const environ = buildEnviron(makeInfo({ target: "/caf\u00e9\u2603" }));
    expect(environ.PATH_INFO).toBe("/caf\u00c3\u00a9\u00e2\u0098\u0083");
  });
  it("copies platform extras and the remote address", () => {
    const environ = buildEnviron(
      makeInfo({ remoteAddr: "10.0.0.1", remotePort: "5555", extras: { "node.x": 1 } }),
    );
    expect(environ.REMOTE_ADDR).toBe("10.0.0.1");
    expect(environ.REMOTE_PORT).toBe("5555");
    expect(environ["node.x"]).toBe(1);
  });
});

describe("buildEnviron: cached Host parsing", () => {
  it.each([
    ["http", "Cache.Example:8080", "cache.example", "8080"],
    ["https", "Cache.Example:8080", "cache.example", "8080"],
    ["http", "cache.example", "cache.example", "80"],
    ["https", "cache.example", "cache.example", "443"],
    ["https", "cache.example", "cache.example", "443"],
  ] as const)("%s with Host %s gives %s port %s, repeated", (scheme, host, name, port) => {
    const environ = buildEnviron({
      method: "GET",
      target: "/",
      headers: [["Host", host]],
      body: null,
      scheme,
      protocol: "HTTP/1.1",
      serverName: "fallback",
      serverPort: "1",
      errors: { write() {}, writelines() {}, flush() {} },
      multithread: true,
      multiprocess: false,
      waitUntil: () => {},
    });
    expect([environ.SERVER_NAME, environ.SERVER_PORT, environ.HTTP_HOST]).toEqual([name, port, host]);
  });
});

describe("event paths (tsgi.event is the proof of an event)", () => {
  const eventPaths = ["/__tsgi/scheduled"];
  it.each([
    "/__tsgi/scheduled",
    "/__tsgi/%73cheduled",
    "//__tsgi//scheduled",
    "/__tsgi/scheduled/",
    "/__tsgi/scheduled/x",
    "/x/../__tsgi/scheduled",
    "/__tsgi/./scheduled",
    "/__TSGI/Scheduled",
    "/__tsgi%2Fscheduled",
  ])("an HTTP request to %s is refused with 404", (target) => {
    let error: unknown;
    try {
      buildEnviron(makeInfo({ target, eventPaths }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(404);
  });

  it.each(["/__tsgi/scheduledx", "/__tsgi", "/scheduled", "/"])("%s reaches the app", (target) => {
    const environ = buildEnviron(makeInfo({ target, eventPaths }));
    expect(environ["tsgi.event"]).toBeUndefined();
  });

  it("a real event reaches its path, with tsgi.event set by the gateway", () => {
    const event = { source: "cloudflare.scheduled", raw: {} };
    const environ = buildEnviron(makeInfo({ target: "/__tsgi/scheduled", eventPaths, event }));
    expect(environ["tsgi.event"]).toBe(event);
  });
});

describe("Host syntax (GatewayRequest.strictHost)", () => {
  const status = (host: string, strictHost: boolean) => {
    try {
      buildEnviron(makeInfo({ headers: [["Host", host]], strictHost }));
      return 200;
    } catch (error) {
      return (error as BadRequestError).status;
    }
  };
  it.each([
    'a"><svg>',
    "evil.test\\good.test",
    "caf\u00e9.test",
    "a.test, b.test",
    "a.test:65536",
    "u@a.test",
  ])("%s gets a 400 where Host is checked", (host) => expect(status(host, true)).toBe(400));
  it.each(["a.test", "A.Test:8080", "[::1]:80", "192.0.2.1", "xn--caf-dma.test", "a.test:"])(
    "%s is valid host syntax",
    (host) => expect(status(host, true)).toBe(200),
  );
  it("a Lambda event keeps a documentation placeholder such as {dns_suffix} (not checked)", () => {
    expect(status("abc.execute-api.us-east-1.{dns_suffix}", false)).toBe(200);
    expect(status("abc.execute-api.us-east-1.{dns_suffix}", true)).toBe(400);
  });
  it("an absolute-form target's authority wins over Host (RFC 9112 3.2.2)", () => {
    const environ = buildEnviron(
      makeInfo({ target: "https://Abs.Test/x", headers: [["Host", "b.test:8080"]] }),
    );
    expect([environ.SERVER_NAME, environ.SERVER_PORT, environ.HTTP_HOST, environ.PATH_INFO]).toEqual([
      "abs.test",
      "443",
      "b.test:8080",
      "/x",
    ]);
  });
});

describe("createWaitUntil", () => {
  it("is idle with nothing pending, busy until every task settled, and idle again after", async () => {
    const errors: unknown[] = [];
    const tasks = createWaitUntil((error) => errors.push(error));
    expect(tasks.idle()).toBe(true);
    let release = () => {};
    tasks.waitUntil(new Promise<void>((resolve) => (release = resolve)));
    tasks.waitUntil(Promise.reject(new Error("boom")));
    expect(tasks.idle()).toBe(false);
    const settled = tasks.settle();
    release();
    await settled;
    expect(tasks.idle()).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
