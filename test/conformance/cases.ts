/**
 * The conformance table: one request in, the expected environ and response out. Every driver
 * (Node over raw sockets, Lambda per event kind, Fetch, workerd, wrangler dev, CGI) runs all of it.
 * `rule` names the numbered rule of docs/spec.md the case proves.
 * @module
 */
import { expect } from "vitest";
import { latin1ToBytes } from "../../core/index.ts";
import type { Case, TestRequest } from "./types.ts";

const enc = new TextEncoder();
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const HOST: [string, string] = ["Host", "example.com:8080"];

function get(
  target: string,
  headers: Array<[string, string]> = [],
  extra: Partial<TestRequest> = {},
): TestRequest {
  return { method: "GET", target, headers: [HOST, ...headers], ...extra };
}
function post(target: string, body: Uint8Array, headers: Array<[string, string]> = []): TestRequest {
  return {
    method: "POST",
    target,
    headers: [
      HOST,
      ["Content-Type", "application/octet-stream"],
      ["Content-Length", String(body.byteLength)],
      ...headers,
    ],
    body,
  };
}

const GOLDEN = {
  REQUEST_METHOD: "GET",
  SCRIPT_NAME: "",
  PATH_INFO: "/hello",
  QUERY_STRING: "name=world",
  SERVER_NAME: "example.com",
  SERVER_PORT: "8080",
  SERVER_PROTOCOL: "HTTP/1.1",
  REMOTE_ADDR: "127.0.0.1",
  RAW_URI: "/hello?name=world",
  REQUEST_URI: "/hello?name=world",
  HTTP_HOST: "example.com:8080",
  HTTP_USER_AGENT: "tsgi-conformance/1",
  HTTP_ACCEPT: "*/*",
};

/**
 * Spellings of the default event paths that decode (or route) to them: each is refused over HTTP.
 * `.`, `..` and `//` are resolved by some platforms first, and refused either way.
 */
const EVENT_PATH_SPELLINGS = [
  "/__tsgi/scheduled",
  "/__tsgi/%73cheduled",
  "/__tsgi/%73%63heduled?x=1",
  "/__TSGI/Scheduled",
  "/__tsgi/scheduled/",
  "//__tsgi/scheduled",
  "/__tsgi/./scheduled",
  "/x/../__tsgi/queue",
  "/__tsgi%2Fqueue",
  "/%5F%5Ftsgi/queue/batch",
];

const eventPathCases: Case[] = EVENT_PATH_SPELLINGS.map((target) => ({
  name: `an HTTP request to the event path ${target} is refused: the app cannot be fooled`,
  rule: "13",
  app: "naive-events",
  request: get(target),
  requires: ["reserved-event-paths"],
  expect: { status: 404, bodyExcludes: "cron ran", errors: /event path/ },
}));

/** Host values that are not host syntax: each gets a 400 where the gateway checks Host. */
const BAD_HOSTS = [
  'a"><svg>',
  "evil.test\\good.test",
  "caf\u00e9.test",
  "a.test, b.test",
  "a.test:99999",
  "user@a.test",
];

const badHostCases: Case[] = BAD_HOSTS.map((host) => ({
  name: `a Host that is not host syntax (${JSON.stringify(host)}) gets a 400, app not called`,
  rule: "10",
  app: "throw-before",
  request: { method: "GET", target: "/", headers: [["Host", host]] },
  // wrangler dev's proxy rewrites Host (and answers 500 for some of these itself): "raw-host".
  requires: ["strict-host", "raw-host"],
  expect: { status: 400, bodyExcludes: "secret", errors: /invalid Host/ },
}));

export const cases: Case[] = [
  ...eventPathCases,
  ...badHostCases,
  {
    name: "an absolute-form target's authority wins over Host for SERVER_NAME and SERVER_PORT",
    rule: "2",
    request: get("http://Abs.Example:81/x?y=1"),
    requires: ["absolute-form"],
    expect: {
      status: 200,
      environ: {
        SERVER_NAME: "abs.example",
        SERVER_PORT: "81",
        HTTP_HOST: "example.com:8080",
        PATH_INFO: "/x",
        QUERY_STRING: "y=1",
      },
    },
  },
  {
    name: "an absolute-form https target without a port gives SERVER_PORT 443",
    rule: "2",
    request: get("https://abs.example/x"),
    requires: ["absolute-form"],
    expect: { status: 200, environ: { SERVER_NAME: "abs.example", SERVER_PORT: "443" } },
  },
  {
    name: "a path that merely begins with an event path's text reaches the app",
    rule: "13",
    app: "naive-events",
    request: get("/__tsgi/scheduledx"),
    expect: { status: 200 },
  },
  // ---- environ --------------------------------------------------------------------------------
  {
    name: "a plain GET gives exactly the core environ",
    rule: "13",
    request: get("/hello?name=world", [
      ["User-Agent", "tsgi-conformance/1"],
      ["Accept", "*/*"],
    ]),
    expect: { status: 200, environExact: GOLDEN },
  },
  {
    name: "tsgi keys are present with their types",
    rule: "11",
    request: get("/"),
    expect: {
      check: (_res, echo, driver) => {
        expect(echo!.environ["tsgi.version"]).toEqual([1, 0]);
        expect(["http", "https"]).toContain(echo!.environ["tsgi.url_scheme"]);
        expect(echo!.environ["tsgi.run_once"]).toBe(driver?.flags?.runOnce ?? false);
        expect(typeof echo!.environ["tsgi.multithread"]).toBe("boolean");
        expect(typeof echo!.environ["tsgi.multiprocess"]).toBe("boolean");
        for (const [flag, key] of [
          ["multithread", "tsgi.multithread"],
          ["multiprocess", "tsgi.multiprocess"],
        ] as const) {
          const want = driver?.flags?.[flag];
          if (want !== undefined) expect(echo!.environ[key], key).toBe(want);
        }
        for (const key of ["tsgi.input", "tsgi.errors", "tsgi.wait_until"]) expect(echo!.keys).toContain(key);
      },
    },
  },
  {
    name: "every key without a dot holds a string; SERVER_PORT is a string",
    rule: "2",
    request: get("/x"),
    expect: {
      check: (_res, echo) => {
        for (const key of echo!.keys) {
          if (!key.includes(".")) expect(typeof echo!.environ[key], key).toBe("string");
        }
        expect(echo!.environ.SERVER_PORT).toBe("8080");
        expect(echo!.environ.REQUEST_METHOD).toBe("GET");
      },
    },
  },
  {
    name: "unknown CGI variables are left out, not empty",
    rule: "3",
    request: get("/x"),
    expect: {
      environ: {
        CONTENT_TYPE: null,
        CONTENT_LENGTH: null,
        HTTP_COOKIE: null,
        PATH_TRANSLATED: null,
        AUTH_TYPE: null,
      },
    },
  },
  {
    name: "extension keys are lower-case and dotted",
    rule: "11",
    request: get("/x"),
    expect: {
      check: (_res, echo) => {
        for (const key of echo!.keys) if (key.includes(".")) expect(key).toBe(key.toLowerCase());
      },
    },
  },
  {
    name: "SERVER_NAME and SERVER_PORT follow the Host header",
    rule: "2",
    request: { method: "GET", target: "/", headers: [["Host", "Api.Example.org:9000"]] },
    expect: { environ: { SERVER_NAME: "api.example.org", SERVER_PORT: "9000" } },
  },
  {
    name: "HTTP_HOST keeps the Host header as sent",
    rule: "9",
    request: { method: "GET", target: "/", headers: [["Host", "Api.Example.org:9000"]] },
    requires: ["raw-host"],
    expect: { environ: { HTTP_HOST: "Api.Example.org:9000" } },
  },
  {
    name: "PATH_INFO is percent-decoded to bytes, never as UTF-8",
    rule: "6",
    request: get("/caf%C3%A9/%FF%00x"),
    requires: ["encoded-path"],
    expect: { environ: { PATH_INFO: "/caf\u00c3\u00a9/\u00ff\u0000x", RAW_URI: "/caf%C3%A9/%FF%00x" } },
  },
  {
    name: "malformed escapes stay literal",
    rule: "6",
    request: get("/a%zz/b%2/c%"),
    requires: ["encoded-path"],
    expect: { environ: { PATH_INFO: "/a%zz/b%2/c%" } },
  },
  {
    name: "%2F decodes to / in PATH_INFO, RAW_URI keeps it",
    rule: "6",
    request: get("/a%2Fb%20c"),
    requires: ["encoded-path"],
    expect: { environ: { PATH_INFO: "/a/b c", RAW_URI: "/a%2Fb%20c", REQUEST_URI: "/a%2Fb%20c" } },
  },
  {
    name: "a path starting with // is a path, not a host",
    rule: "trap: raw target",
    request: get("//evil.example/x?y=1"),
    requires: ["raw-target"],
    expect: {
      environ: { PATH_INFO: "//evil.example/x", QUERY_STRING: "y=1", HTTP_HOST: "example.com:8080" },
    },
  },
  {
    name: "dot segments are not resolved",
    rule: "trap: raw target",
    request: get("/a/../b/./c"),
    requires: ["dot-segments"],
    expect: { environ: { PATH_INFO: "/a/../b/./c" } },
  },
  {
    name: "QUERY_STRING is raw: + and escapes kept, empty and repeated keys kept in order",
    rule: "7",
    request: get("/q?b=2&a=1&a=&&c=%20+x&d"),
    requires: ["raw-query"],
    expect: { environ: { QUERY_STRING: "b=2&a=1&a=&&c=%20+x&d" } },
  },
  {
    name: "QUERY_STRING is present and empty without a query",
    rule: "7",
    request: get("/q"),
    expect: { environ: { QUERY_STRING: "" } },
  },
  {
    name: "QUERY_STRING is empty for a bare ?",
    rule: "7",
    request: get("/q?"),
    expect: { environ: { QUERY_STRING: "", PATH_INFO: "/q" } },
  },
  {
    name: "QUERY_STRING is text after the first ? only",
    rule: "7",
    request: get("/q?a=1?b=2"),
    requires: ["raw-query"],
    expect: { environ: { QUERY_STRING: "a=1?b=2" } },
  },
  {
    name: "CONTENT_TYPE and CONTENT_LENGTH come from their headers, without HTTP_ twins",
    rule: "8",
    request: post("/upload", enc.encode("hello")),
    expect: {
      environ: {
        CONTENT_TYPE: "application/octet-stream",
        CONTENT_LENGTH: "5",
        HTTP_CONTENT_TYPE: null,
        HTTP_CONTENT_LENGTH: null,
        REQUEST_METHOD: "POST",
      },
      check: (_res, echo) => expect(atob(echo!.body)).toBe("hello"),
    },
  },
  {
    name: "HTTP_X_Y exists exactly when X-Y arrived",
    rule: "9",
    request: get("/h", [
      ["X-Custom-Thing", "  padded value  "],
      ["DNT", "1"],
    ]),
    expect: { environ: { HTTP_X_CUSTOM_THING: "padded value", HTTP_DNT: "1", HTTP_X_OTHER: null } },
  },
  {
    name: "repeated headers join with comma-space in arrival order",
    rule: "9",
    request: get("/h", [
      ["X-Multi", "first"],
      ["Accept", "text/html"],
      ["x-multi", "second"],
    ]),
    requires: ["repeated-header-values"],
    expect: { environ: { HTTP_X_MULTI: "first, second", HTTP_ACCEPT: "text/html" } },
  },
  {
    name: "repeated Cookie headers join with semicolon-space",
    rule: "9",
    request: get("/h", [
      ["Cookie", "a=1"],
      ["Cookie", "b=2"],
    ]),
    requires: ["repeated-headers"],
    expect: { environ: { HTTP_COOKIE: "a=1; b=2" } },
  },
  {
    name: "header names holding _ are dropped (spoofing guard)",
    rule: "9",
    requires: ["header-names"],
    // X_Real_IP, not X_Forwarded_For: a load balancer in front may add a real X-Forwarded-For.
    request: get("/h", [
      ["X_Real_IP", "6.6.6.6"],
      ["X-Real-Header", "ok"],
    ]),
    expect: { environ: { HTTP_X_REAL_IP: null, HTTP_X_REAL_HEADER: "ok" } },
  },
  {
    name: "header values are bytes as latin-1 (UTF-8 bytes are not decoded)",
    rule: "4",
    request: get("/h", [["X-Latin", "caf\u00c3\u00a9 au lait"]]),
    expect: { environ: { HTTP_X_LATIN: "caf\u00c3\u00a9 au lait" } },
  },
  {
    name: "header bytes that are not UTF-8 arrive as latin-1",
    rule: "4",
    request: get("/h", [["X-Latin", "caf\u00e9 \u00ff"]]),
    requires: ["non-utf8-headers"],
    expect: { environ: { HTTP_X_LATIN: "caf\u00e9 \u00ff" } },
  },
  {
    name: "two different Host headers: 400, app not called",
    rule: "10",
    app: "throw-before",
    request: {
      method: "GET",
      target: "/",
      headers: [
        ["Host", "a.example"],
        ["Host", "b.example"],
      ],
    },
    requires: ["repeated-headers"],
    expect: { status: 400, bodyExcludes: "secret" },
  },
  {
    name: "two different Content-Length headers: 400, app not called",
    rule: "10",
    app: "throw-before",
    request: {
      method: "POST",
      target: "/",
      headers: [HOST, ["Content-Length", "3"], ["Content-Length", "4"]],
      body: enc.encode("abc"),
    },
    requires: ["repeated-headers", "excess-body"],
    expect: { status: 400, bodyExcludes: "secret" },
  },
  {
    name: "two different Content-Type headers: 400, app not called",
    rule: "10",
    app: "throw-before",
    request: get("/", [
      ["Content-Type", "text/plain"],
      ["Content-Type", "text/html"],
    ]),
    requires: ["repeated-headers"],
    expect: { status: 400, bodyExcludes: "secret" },
  },
  {
    name: "REMOTE_ADDR is the trusted peer, not X-Forwarded-For",
    rule: "12",
    request: get("/ip", [["X-Forwarded-For", "6.6.6.6"]]),
    expect: {
      environ: { REMOTE_ADDR: "127.0.0.1" },
      // The header as sent, first; a load balancer in front (ALB, VPC Lattice) appends its own hop.
      check: (_res, echo) =>
        expect(String(echo!.environ.HTTP_X_FORWARDED_FOR)).toMatch(/^6\.6\.6\.6(?:, 127\.0\.0\.1)?$/),
    },
  },
  {
    name: "HTTP/1.0 requests keep their protocol",
    rule: "13",
    request: get("/old", [], { protocol: "HTTP/1.0" }),
    requires: ["http10"],
    expect: { environ: { SERVER_PROTOCOL: "HTTP/1.0" } },
  },

  // ---- input --------------------------------------------------------------------------------
  {
    name: "an empty body reads as 0 bytes at once",
    rule: "14",
    request: get("/empty"),
    expect: {
      check: (_res, echo) => {
        expect(echo!.body).toBe("");
        expect((echo as unknown as { afterEnd: number }).afterEnd).toBe(0);
      },
    },
  },
  {
    name: "read(n), readline() and the end of input",
    rule: "14",
    app: "input-probe",
    request: post("/probe", enc.encode("abcdef\nghi\njkl")),
    expect: { status: 200, body: "abc|def\n|ghi\njkl|" },
  },
  {
    name: "nothing past CONTENT_LENGTH is read",
    rule: "14",
    app: "bytes",
    request: {
      method: "POST",
      target: "/",
      headers: [HOST, ["Content-Length", "3"]],
      body: enc.encode("abcdef"),
    },
    requires: ["excess-body"],
    expect: { status: 200, body: "abc" },
  },
  {
    name: "a chunked request body is read to its end",
    rule: "14",
    app: "bytes",
    request: {
      method: "POST",
      target: "/",
      headers: [HOST, ["Transfer-Encoding", "chunked"]],
      body: enc.encode("chunked body"),
    },
    requires: ["chunked-request"],
    expect: { status: 200, body: "chunked body" },
  },
  {
    name: "a body of all 256 byte values round-trips",
    rule: "trap: bytes",
    app: "bytes",
    request: post("/bin", ALL_BYTES),
    expect: { status: 200, body: ALL_BYTES },
  },
  {
    name: "Expect: 100-continue works without the app doing anything",
    rule: "16",
    app: "bytes",
    request: post("/continue", enc.encode("after continue"), [["Expect", "100-continue"]]),
    requires: ["expect-continue"],
    expect: { status: 200, body: "after continue" },
  },

  // ---- startResponse --------------------------------------------------------------------------
  {
    name: "a status without a reason is refused",
    rule: "17",
    app: "bad-status",
    request: get("/"),
    expect: { status: 500, errors: /status must be/ },
  },
  {
    name: "a CR LF in a header value never reaches the client",
    rule: "18",
    app: "header-injection",
    request: get("/"),
    expect: { status: 500, headers: { "set-cookie": null, "x-evil": null }, errors: /control character/ },
  },
  {
    name: "a header value above U+00FF is refused",
    rule: "18",
    app: "wide-header",
    request: get("/"),
    expect: { status: 500, headers: { "x-wide": null } },
  },
  {
    name: "a header name that is not a token is refused",
    rule: "18",
    app: "bad-header-name",
    request: get("/"),
    expect: { status: 500 },
  },
  {
    name: "hop-by-hop headers from the app are an error",
    rule: "19",
    app: "hop-by-hop",
    request: get("/"),
    expect: { status: 500, errors: /hop-by-hop/ },
  },
  {
    name: "headers are not sent before the first non-empty chunk",
    rule: "20",
    app: "empty-then-throw",
    request: get("/"),
    expect: { status: 500, headers: { "x-should-not-appear": null } },
  },
  {
    name: "startResponse may be called at the first next()",
    rule: "20",
    app: "lazy-start",
    request: get("/"),
    expect: { status: 201, body: "lazy" },
  },
  {
    name: "a second startResponse without excInfo is an error",
    rule: "21",
    app: "second-start",
    request: get("/"),
    expect: { status: 500, errors: /second time/ },
  },
  {
    name: "excInfo before headers are sent replaces status and headers",
    rule: "21",
    app: "excinfo-before",
    request: get("/"),
    expect: { status: 503, body: "sorry", headers: { "x-first": null } },
  },
  {
    name: "excInfo after headers are sent is rethrown: the response is cut off",
    rule: "21",
    app: "excinfo-after",
    request: get("/"),
    requires: ["abort"],
    expect: { status: 200, aborted: true, bodyExcludes: "never sent", errors: /late failure/ },
  },
  {
    name: "written bytes come before the iterable's bytes",
    rule: "22",
    app: "write-then-iterate",
    request: get("/"),
    expect: { status: 200, body: "written,iterated" },
  },

  // ---- body ---------------------------------------------------------------------------------
  {
    name: "chunks of a streamed body arrive whole and in order",
    rule: "23",
    app: "stream",
    request: get("/"),
    expect: { status: 200, body: "one,two,three" },
  },
  {
    name: "a reused chunk buffer is copied before the next chunk",
    rule: "23",
    app: "reused-buffer",
    request: get("/"),
    expect: { status: 200, body: "aaaabbbbcccc" },
  },
  {
    name: "close() runs after the body was handed on (an app may recycle its buffer in close())",
    rule: "23",
    app: "recycled-on-close",
    request: get("/"),
    expect: { status: 200, body: "pooled bytes", headers: { "content-length": "12" } },
  },
  {
    name: "subarray chunks send only their own bytes",
    rule: "trap: subarray",
    app: "subarrays",
    request: get("/"),
    expect: { status: 200, body: "helloworld", headers: { "content-length": "10" } },
  },
  {
    name: "a single-chunk body gets an exact Content-Length",
    rule: "24",
    app: "lazy-start",
    request: get("/"),
    expect: { status: 201 },
  },
  {
    name: "an array body gets an exact Content-Length",
    rule: "24",
    app: "cookies",
    request: get("/"),
    expect: { headers: { "content-length": "7" } },
  },
  {
    name: "no more than the declared Content-Length is sent",
    rule: "25",
    app: "over-length",
    request: get("/"),
    expect: {
      status: 200,
      body: "hel",
      headers: { "content-length": "3" },
      errors: /longer than its Content-Length/,
    },
  },
  {
    name: "a body shorter than its Content-Length is logged and cut off",
    rule: "25",
    app: "under-length",
    request: get("/"),
    requires: ["abort"],
    expect: { status: 200, aborted: true, errors: /shorter than its Content-Length/ },
  },
  {
    name: "Transfer-Encoding from the app is refused",
    rule: "26",
    app: "app-chunked",
    request: get("/"),
    expect: { status: 500 },
  },
  {
    name: "a generator body is framed by the gateway",
    rule: "26",
    app: "chunks",
    request: get("/"),
    expect: { status: 200, body: "abc" },
  },
  {
    name: "HEAD carries no body bytes",
    rule: "27",
    app: "cookies",
    request: { method: "HEAD", target: "/", headers: [HOST] },
    expect: { status: 200, body: "" },
  },
  {
    name: "204 carries no body bytes",
    rule: "27",
    app: "status",
    request: get("/?204"),
    expect: { status: 204, body: "" },
  },
  {
    name: "304 carries no body bytes",
    rule: "27",
    app: "status",
    request: get("/?304"),
    expect: { status: 304, body: "" },
  },
  {
    name: "an app exception gives a 500 without internals, the trace goes to tsgi.errors",
    rule: "28",
    app: "throw-before",
    request: get("/"),
    expect: { status: 500, bodyExcludes: "secret", errors: /secret-database-password/ },
  },
  {
    name: "an exception after the headers cuts the response off",
    rule: "28",
    app: "throw-during",
    request: get("/"),
    requires: ["abort"],
    expect: { status: 200, aborted: true, errors: /failed mid-body/ },
  },
  {
    name: "string chunks are refused",
    rule: "Uni",
    app: "string-chunk",
    request: get("/"),
    expect: { status: 500, errors: /Uint8Array/ },
  },
  {
    name: "an app that never calls startResponse gets a 500",
    rule: "30",
    app: "never-starts",
    request: get("/"),
    expect: { status: 500, errors: /never called startResponse|before startResponse/ },
  },
  {
    name: "Set-Cookie headers are never merged",
    rule: "trap: set-cookie",
    app: "cookies",
    request: get("/"),
    requires: ["set-cookie-list"],
    expect: {
      status: 200,
      headers: {
        "set-cookie": ["a=1; Path=/; HttpOnly", "b=2, with comma; Path=/"],
        "x-repeat": ["one", "two"],
      },
    },
  },

  // ---- added: environ freshness, errors stream, middleware, validate on every platform ----------
  {
    name: "each request gets a fresh plain environ the app may change",
    rule: "1",
    app: "fresh-environ",
    repeat: 2,
    request: get("/"),
    expect: { status: 200, body: "true true" },
  },
  {
    name: "PATH_INFO of the root is /, SCRIPT_NAME is empty (never /)",
    rule: "5",
    request: get("/"),
    expect: { environ: { PATH_INFO: "/", SCRIPT_NAME: "" } },
  },
  {
    name: "OPTIONS * gives an empty PATH_INFO",
    rule: "5",
    request: { method: "OPTIONS", target: "*", headers: [HOST] },
    requires: ["asterisk-form"],
    expect: { environ: { PATH_INFO: "", SCRIPT_NAME: "", QUERY_STRING: "", RAW_URI: "*" } },
  },
  {
    name: "%80 decodes to U+0080, not the euro sign of windows-1252",
    rule: "trap: latin1",
    request: get("/%80%9F"),
    requires: ["encoded-path"],
    expect: { environ: { PATH_INFO: "/\u0080\u009f" } },
  },
  {
    name: "tsgi.errors accepts any Unicode and never throws",
    rule: "15",
    app: "errors-unicode",
    request: get("/"),
    expect: { status: 200, body: "logged", errors: /unicode \u{1F600} \u2603 lone/u },
  },
  {
    name: "an extension method (FROBNICATE) reaches the app as it was sent",
    rule: "2",
    request: { method: "FROBNICATE", target: "/m", headers: [HOST] },
    requires: ["extension-methods"],
    expect: { status: 200, environ: { REQUEST_METHOD: "FROBNICATE", PATH_INFO: "/m" } },
  },
  {
    name: "tsgi.errors.write() never throws, even on a value that cannot become a string",
    rule: "15",
    app: "errors-unstringable",
    request: get("/"),
    expect: { status: 200, body: "logged", errors: /still logging/ },
  },
  {
    name: "middleware that changes the body drops Content-Length and streams",
    rule: "29",
    app: "middleware",
    request: get("/"),
    expect: { status: 200, body: "HELLO WORLD" },
  },
  {
    name: "the environ of every platform passes validate",
    rule: "30",
    app: "validated-echo",
    request: post("/v?x=1", enc.encode("checked"), [["Cookie", "a=1"]]),
    expect: { status: 200 },
  },
  {
    name: "a streamed response passes validate",
    rule: "30",
    app: "validated-stream",
    request: get("/"),
    expect: { status: 200, body: "one,two,three" },
  },
  // ---- mount() -------------------------------------------------------------------------------
  ...(
    [
      ["/api/v2/items?x=1", "v2 /api/v2|/items"],
      ["/api/v2", "v2 /api/v2|"],
      ["/api/v20", "api /api|/v20"],
      ["/api/", "api /api|/"],
      ["/api", "api /api|"],
      ["/%61pi/x%2Fy", "api /api|/x/y"],
      ["/caf%C3%A9/menu", "cafe /caf\u00c3\u00a9|/menu"],
    ] as const
  ).map(([target, body]): Case => ({
    name: `mount: ${target} goes to the longest prefix on a segment boundary`,
    rule: "Mw: mount",
    app: "mount",
    request: get(target),
    expect: { status: 200, body: latin1ToBytes(body) },
  })),
  {
    name: "mount: a path under no prefix gets the default 404 fallback",
    rule: "Mw: mount",
    app: "mount",
    request: get("/apix/y"),
    expect: { status: 404 },
  },
  {
    name: "mount: the fallback gets the rest unchanged",
    rule: "Mw: mount",
    app: "mount-fallback",
    request: get("/other/api"),
    expect: { status: 200, body: "fallback |/other/api" },
  },
];
