/** Lambda-specific behaviour the shared conformance table cannot express. */
import { describe, expect, it } from "vitest";
import {
  EventFailedError,
  ResponseAbortedError,
  StreamingUnavailableError,
  UnsupportedEventError,
  createHandler,
  createStreamingHandler,
} from "../../adapters/aws-lambda.ts";
import * as httpApi from "../../adapters/aws-lambda/http-api.ts";
import type { App, Environ } from "../../core/index.ts";
import { apps } from "../conformance/apps.ts";
import {
  fromResult,
  toAlbEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toRestEvent,
} from "../../scripts/lambda-events.ts";
import type { TestRequest } from "../conformance/types.ts";

const enc = new TextEncoder();
const context = { awsRequestId: "test-request-id", functionName: "tsgi-test" };
const KINDS: Array<[string, (r: TestRequest) => unknown]> = [
  ["REST", toRestEvent],
  ["HTTP API", toHttpApiEvent],
  ["Function URL", toFunctionUrlEvent],
  ["ALB multi-value", (r) => toAlbEvent(r, true)],
  ["ALB single-value", (r) => toAlbEvent(r, false)],
];
const get = (target: string, headers: Array<[string, string]> = []): TestRequest => ({
  method: "GET",
  target,
  headers: [["Host", "example.com"], ...headers],
});

/** Runs `app` once and returns the environ it saw. */
async function environOf(
  event: unknown,
  options: Parameters<typeof createHandler>[1] = {},
): Promise<Environ> {
  let seen: Environ | undefined;
  const app: App = (environ, startResponse) => {
    seen = environ;
    startResponse("204 No Content", []);
    return [];
  };
  await createHandler(app, { log: () => {}, ...options })(event, context);
  return seen!;
}

function logInto(lines: string[]) {
  return { log: (line: string) => lines.push(line) };
}

describe("aws-lambda: cut-off responses and app errors", () => {
  describe.each(KINDS)("%s", (_name, toEvent) => {
    it.each(["throw-during", "excinfo-after", "under-length"])(
      "%s fails the invocation (the front door answers 502), never a truncated 200",
      async (app) => {
        const lines: string[] = [];
        const handler = createHandler(apps[app]!, logInto(lines));
        await expect(handler(toEvent(get("/")), context)).rejects.toBeInstanceOf(ResponseAbortedError);
        expect(lines.join("\n")).toMatch(/\[test-request-id\] tsgi: /);
      },
    );

    it("two cookies survive both directions", async () => {
      let cookie: unknown;
      const app: App = (environ, startResponse) => {
        cookie = environ.HTTP_COOKIE;
        return apps.cookies!(environ, startResponse);
      };
      const lines: string[] = [];
      const result = await createHandler(app, logInto(lines))(
        toEvent(get("/", [["Cookie", "a=1; b=2"]])),
        context,
      );
      expect(cookie).toBe("a=1; b=2");
      const sent = fromResult(result, "GET").headers.filter(([n]) => n.toLowerCase() === "set-cookie");
      if (_name === "ALB single-value") {
        // One Set-Cookie is all a single-value ALB response can carry: the first, and a warning.
        expect(sent.map(([, v]) => v)).toEqual(["a=1; Path=/; HttpOnly"]);
        expect(lines.join("\n")).toMatch(/warning: the response sets 2 cookies/);
      } else expect(sent.map(([, v]) => v)).toEqual(["a=1; Path=/; HttpOnly", "b=2, with comma; Path=/"]);
    });
  });

  it("an exception before the headers gives a 500 without internals, logged with the request id", async () => {
    const lines: string[] = [];
    const result = await createHandler(apps["throw-before"]!, logInto(lines))(toRestEvent(get("/")), context);
    const response = fromResult(result, "GET");
    expect(response.status).toBe(500);
    expect(Buffer.from(response.body).toString()).not.toContain("secret");
    expect(lines.join("\n")).toMatch(/\[test-request-id\] tsgi: error in app[^]*secret-database-password/);
  });

  it.each(["throw-before", "throw-during", "header-injection"])(
    "rethrow: %s fails the invocation with the app's own error",
    async (app) => {
      const handler = createHandler(apps[app]!, { rethrow: true, log: () => {} });
      const error: unknown = await handler(toHttpApiEvent(get("/")), context).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ResponseAbortedError);
    },
  );

  it("rethrow leaves a request the core refuses (400) alone", async () => {
    const handler = createHandler(apps.echo!, { rethrow: true, log: () => {} });
    const bad = toAlbEvent(
      {
        method: "GET",
        target: "/",
        headers: [
          ["Host", "a"],
          ["Host", "b"],
        ],
      },
      true,
    );
    expect(fromResult(await handler(bad, context), "GET").status).toBe(400);
  });
});

describe("aws-lambda: events that are not HTTP requests", () => {
  const sqs = { Records: [{ eventSource: "aws:sqs", body: "hello", messageId: "1" }] };
  it.each([
    [sqs, /an event from aws:sqs \(1 record\)/],
    [{ source: "aws.events", "detail-type": "Scheduled Event", detail: {} }, /EventBridge event/],
    [{ Records: [{ cf: { request: {} } }] }, /Lambda@Edge/],
    ["text", /a string event/],
    [null, /a null event/],
    [{ foo: 1 }, /unrecognized event with keys foo/],
  ])("%j is refused by name", async (event, name) => {
    const error: unknown = await createHandler(apps.echo!)(event, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect((error as Error).message).toMatch(name);
  });

  it("eventPath delivers them to the app as a POST of the event JSON", async () => {
    let seen: Environ | undefined;
    let body = "";
    const app: App = async (environ, startResponse) => {
      seen = environ;
      body = Buffer.from(await environ["tsgi.input"].read()).toString();
      startResponse("200 OK", [["Content-Type", "application/json"]]);
      return [enc.encode('{"batchItemFailures":[]}')];
    };
    const result = await createHandler(app, { eventPath: "/events" })(sqs, context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(JSON.parse(body)).toEqual(sqs);
    expect(seen).toMatchObject({
      REQUEST_METHOD: "POST",
      PATH_INFO: "/events",
      CONTENT_TYPE: "application/json",
      CONTENT_LENGTH: String(Buffer.byteLength(JSON.stringify(sqs))),
      "aws.event_kind": "event",
    });
    const failing = createHandler(apps.status!, { eventPath: "/events?503", log: () => {} });
    await expect(failing(sqs, context)).rejects.toBeInstanceOf(EventFailedError);
  });
});

const restOn = (host: string, path: string, stage: string, extra: Record<string, unknown> = {}) => {
  const event = toRestEvent(get(path, [])) as {
    headers: object;
    multiValueHeaders: object;
    requestContext: object;
  };
  event.headers = { Host: host };
  event.multiValueHeaders = { Host: [host] };
  Object.assign(event.requestContext, { stage, path, ...extra });
  return event;
};

describe("aws-lambda: paths, queries and mounting", () => {
  it("an HTTP API path (already decoded) is decoded exactly once", async () => {
    const event = toHttpApiEvent(get("/x")) as { rawPath: string };
    event.rawPath = "/caf\u00e9/a b/100%25/%41?#";
    const environ = await environOf(event);
    expect(environ.PATH_INFO).toBe("/caf\u00c3\u00a9/a b/100%25/%41?#");
    expect(environ.QUERY_STRING).toBe("");
  });

  it("a Function URL path keeps its encoding until the one decoding", async () => {
    const environ = await environOf(toFunctionUrlEvent(get("/caf%C3%A9/%FF%2F?q=%20+")));
    expect(environ).toMatchObject({
      PATH_INFO: "/caf\u00c3\u00a9/\u00ff/",
      RAW_URI: "/caf%C3%A9/%FF%2F?q=%20+",
      QUERY_STRING: "q=%20+",
    });
  });

  it("an encoded path with stray literal characters is still decoded once, never refused", async () => {
    const event = toAlbEvent(get("/x"), true) as { path: string };
    event.path = "/a b/\u00e9?#/%41";
    const environ = await environOf(event);
    expect(environ).toMatchObject({ PATH_INFO: "/a b/\u00c3\u00a9?#/A", RAW_URI: "/a%20b/%C3%A9%3F%23/%41" });
  });

  it("a VPC Lattice raw_path keeps its raw query; its own hop is REMOTE_ADDR, the header as sent", async () => {
    const event = {
      raw_path: "/p%20q?a=1&a=&b",
      method: "GET",
      headers: { host: "svc.example", "x-forwarded-for": "10.0.0.1, 10.0.0.2" },
      query_string_parameters: { a: "" },
      body: "",
      is_base64_encoded: false,
    };
    expect(await environOf(event)).toMatchObject({
      PATH_INFO: "/p q",
      QUERY_STRING: "a=1&a=&b",
      REMOTE_ADDR: "10.0.0.2",
      HTTP_X_FORWARDED_FOR: "10.0.0.1, 10.0.0.2",
      "aws.event_kind": "vpc-lattice",
    });
  });

  it("a REST query is rebuilt with repeated and empty keys, in order", async () => {
    const event = toRestEvent(get("/")) as Record<string, unknown>;
    event.multiValueQueryStringParameters = { b: ["2"], a: ["1", "x y&z"], flag: [""] };
    event.queryStringParameters = { b: "2", a: "x y&z", flag: "" };
    expect((await environOf(event)).QUERY_STRING).toBe("b=2&a=1&a=x%20y%26z&flag");
  });

  it.each([
    ["abc123.execute-api.eu-west-1.amazonaws.com", "/prod/items", "prod", {}, undefined, "/prod", "/items"],
    ["abc123.execute-api.eu-west-1.amazonaws.com", "/prod", "prod", {}, undefined, "/prod", ""],
    [
      "abc123.execute-api.eu-west-1.amazonaws.com",
      "/production/x",
      "prod",
      {},
      undefined,
      "",
      "/production/x",
    ],
    ["api.example.com", "/prod/items", "prod", {}, undefined, "", "/prod/items"],
    [
      "abc123.execute-api.eu-west-1.amazonaws.com",
      "/$default/x",
      "$default",
      {},
      undefined,
      "",
      "/$default/x",
    ],
    [
      "api.example.com",
      "/v1/items",
      "prod",
      { customDomain: { basePathMatched: "v1" } },
      undefined,
      "/v1",
      "/items",
    ],
    [
      "abc123.execute-api.eu-west-1.amazonaws.com",
      "/prod/api/items",
      "prod",
      {},
      "/api",
      "/prod/api",
      "/items",
    ],
    ["api.example.com", "/api/items", "prod", {}, "/api/", "/api", "/items"],
    ["api.example.com", "/apix", "prod", {}, "/api", "", "/apix"],
  ])(
    "REST on %s %s (stage %s, %j, basePath %s): SCRIPT_NAME %j, PATH_INFO %j",
    async (host, path, stage, extra, basePath, script, pathInfo) => {
      const environ = await environOf(restOn(host, path, stage, extra), basePath ? { basePath } : {});
      expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual([script, pathInfo]);
    },
  );

  it("an HTTP API stage is a mount only on the execute-api host", async () => {
    const event = toHttpApiEvent(get("/dev/x")) as {
      requestContext: { stage: string };
      headers: Record<string, string>;
    };
    event.requestContext.stage = "dev";
    expect((await environOf(event)).SCRIPT_NAME).toBe("");
    event.headers.host = "abc123.execute-api.us-east-1.amazonaws.com";
    expect(await environOf(event)).toMatchObject({ SCRIPT_NAME: "/dev", PATH_INFO: "/x" });
  });

  it("per-request platform data, flags and wait_until", async () => {
    let settled = false;
    const app: App = (environ, startResponse) => {
      environ["tsgi.wait_until"](
        new Promise((resolve) => setTimeout(resolve, 20)).then(() => (settled = true)),
      );
      expect(environ).toMatchObject({
        "tsgi.multithread": false,
        "tsgi.multiprocess": true,
        "aws.context": context,
      });
      startResponse("200 OK", []);
      return [];
    };
    await createHandler(app)(toFunctionUrlEvent(get("/")), context);
    expect(settled).toBe(true);
  });
});

const respond = (headers: Array<[string, string]>, body: Uint8Array, options = {}) =>
  createHandler(
    (_e, startResponse) => {
      startResponse("200 OK", headers);
      return [body];
    },
    { log: () => {}, ...options },
  )(toFunctionUrlEvent(get("/")), context) as Promise<{ body: string; isBase64Encoded: boolean }>;

describe("aws-lambda: response bodies", () => {
  it.each([
    ["text/plain; charset=utf-8", [], enc.encode("h\u00e9llo"), false],
    ["application/json", [], enc.encode('{"a":1}'), false],
    ["application/vnd.api+json", [], enc.encode("{}"), false],
    ["image/svg+xml", [], enc.encode("<svg/>"), false],
    ["text/plain", [], Uint8Array.of(0x68, 0xff), true],
    ["text/plain", [["Content-Encoding", "gzip"]], enc.encode("gz"), true],
    ["application/octet-stream", [], enc.encode("text"), true],
    ["text/plain", [], Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), false],
  ] as Array<[string, Array<[string, string]>, Uint8Array, boolean]>)(
    "%s %j: base64 %s, bytes kept",
    async (type, extra, bytes, base64) => {
      const result = await respond([["Content-Type", type], ...extra], bytes);
      expect(result.isBase64Encoded).toBe(base64);
      expect(Buffer.from(result.body, base64 ? "base64" : "utf8").equals(Buffer.from(bytes))).toBe(true);
    },
  );

  it("isBinary overrides the choice", async () => {
    const result = await respond([["Content-Type", "text/plain"]], enc.encode("x"), { isBinary: () => true });
    expect(result).toMatchObject({ isBase64Encoded: true, body: "eA==" });
  });

  it.each([
    ["text/plain", 7 * 1024 * 1024],
    ["application/octet-stream", 5 * 1024 * 1024],
  ])(
    "a %s body of %i bytes (over 6 MB once encoded) becomes a clear 502 and a log line",
    async (type, size) => {
      const lines: string[] = [];
      const result = await respond([["Content-Type", type]], new Uint8Array(size).fill(0x61), logInto(lines));
      const response = fromResult(result, "GET");
      expect(response.status).toBe(502);
      expect(Buffer.from(response.body).toString()).toMatch(/larger than the 6 MB/);
      expect(lines.join("\n")).toMatch(
        /\[test-request-id\] tsgi: the response is larger than Lambda's buffered response limit/,
      );
    },
  );

  it("a body just under the limit goes through", async () => {
    const result = await respond(
      [["Content-Type", "text/plain"]],
      new Uint8Array(6 * 1024 * 1024 - 200).fill(0x61),
    );
    expect(fromResult(result, "GET").status).toBe(200);
  });
});

describe("aws-lambda: streaming outside the Lambda runtime", () => {
  it("a module exporting both handlers loads; the first invocation says what is missing", async () => {
    const handler = createStreamingHandler(apps.echo!);
    const error: unknown = await handler(toFunctionUrlEvent(get("/")), {} as never, context).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamingUnavailableError);
    expect((error as Error).message).toMatch(/awslambda global/);
  });
});

describe("aws-lambda: response header names", () => {
  // Names that an object finds on its prototype, and more names than the short list holds.
  const many = Array.from({ length: 20 }, (_, i): [string, string] => [`X-Many-${i}`, String(i)]);
  const app: App = (_environ, startResponse) => {
    startResponse("200 OK", [
      ["constructor", "c"],
      ["toString", "t"],
      ["X-Rep", "1"],
      ...many,
      ["x-rep", "2"],
      ["X-MANY-3", "again"],
      ["CONSTRUCTOR", "c2"],
    ]);
    return [];
  };
  it.each(KINDS)(
    "%s: keyed by the first spelling, repeats joined, prototype names kept",
    async (_name, toEvent) => {
      const result = await createHandler(app, { log: () => {} })(toEvent(get("/")), context);
      const headers = fromResult(result, "GET").headers;
      const values = (name: string) =>
        headers
          .filter(([n]) => n === name)
          .map(([, v]) => v)
          .join(", ");
      expect(values("constructor")).toBe("c, c2");
      expect(values("toString")).toBe("t");
      expect(values("X-Rep")).toBe("1, 2");
      expect(values("X-Many-3")).toBe("3, again");
      expect(values("X-Many-19")).toBe("19");
      expect(headers.some(([n]) => n === "x-rep" || n === "CONSTRUCTOR" || n === "X-MANY-3")).toBe(false);
    },
  );
});

describe("aws-lambda: the app's deadline", () => {
  // Never answers: only a deadline ends the invocation.
  const hung: App = () => new Promise<never>(() => {});
  const log: string[] = [];
  const withRemaining = (ms: number) => ({ ...context, getRemainingTimeInMillis: () => ms });

  it.each(KINDS)(
    "%s: an app still silent near the invocation's end gets a 504 before Lambda ends it",
    async (_kind, toEvent) => {
      log.length = 0;
      const handler = createHandler(hung, { log: (line) => log.push(line) });
      const started = Date.now();
      // 500 ms left; the headroom is a fifth of that, so the 504 comes after about 400 ms.
      const result = fromResult(await handler(toEvent(get("/slow")), withRemaining(500)), "GET");
      expect(result.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(500);
      expect(log.join("\n")).toMatch(/did not answer within 400 ms \(appTimeout\); answered 504/);
    },
  );

  it("appTimeout gives a shorter deadline; a longer one is capped by the invocation's end", async () => {
    const short = createHandler(hung, { appTimeout: 50, log: () => {} });
    const started = Date.now();
    const result = fromResult(await short(toHttpApiEvent(get("/")), withRemaining(30_000)), "GET");
    expect(result.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1000);
    log.length = 0;
    const capped = createHandler(hung, { appTimeout: 60_000, timeoutHeadroom: 100, log: (l) => log.push(l) });
    const capResult = fromResult(await capped(toHttpApiEvent(get("/")), withRemaining(300)), "GET");
    expect(capResult.status).toBe(504);
    expect(log.join("\n")).toMatch(/within 240 ms/);
  });

  it("a non-HTTP event the app does not answer in time fails the invocation (Lambda retries it)", async () => {
    const handler = createHandler(hung, { eventPath: "/events", log: () => {} });
    const sqs = { Records: [{ eventSource: "aws:sqs", body: "x" }] };
    await expect(handler(sqs, withRemaining(200))).rejects.toMatchObject({ status: 504, source: "aws.sqs" });
  });
});

describe("aws-lambda/http-api: only the payload 2.0 front doors", () => {
  it.each([
    ["REST", toRestEvent, /tsgi\/aws-lambda\/http-api serves API Gateway HTTP API and Function URL events/],
    ["ALB", (r: TestRequest) => toAlbEvent(r, true), /tsgi\/aws-lambda serves every front door/],
  ])("a %s event is refused, naming the entry that serves it", async (_name, toEvent, message) => {
    const error: unknown = await httpApi
      .createHandler(apps.echo!)(toEvent(get("/x")), context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect((error as Error).message).toMatch(message);
  });

  it("a payload 2.0 authorizer request is not taken for an HTTP API request", async () => {
    const event = {
      ...(toHttpApiEvent(get("/x")) as object),
      type: "REQUEST",
      routeArn: "arn:aws:execute-api:x",
    };
    const error: unknown = await httpApi
      .createHandler(apps.echo!)(event, context)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Lambda authorizer request \(type REQUEST, payload 2.0\)/);
  });

  it.each([
    ["HTTP API", toHttpApiEvent, "api-gateway-v2"],
    ["Function URL", toFunctionUrlEvent, "function-url"],
  ])("a %s event gets the same environ as from tsgi/aws-lambda", async (_name, toEvent, kind) => {
    let seen: Environ | undefined;
    const app: App = (environ, startResponse) => {
      seen = environ;
      startResponse("204 No Content", []);
      return [];
    };
    const event = toEvent(get("/caf%C3%A9?q=1", [["Cookie", "a=1"]]));
    await httpApi.createHandler(app)(event, context);
    const { "tsgi.input": _input, "tsgi.errors": _errors, "tsgi.wait_until": _wait, ...own } = seen!;
    const { "tsgi.input": _i, "tsgi.errors": _e, "tsgi.wait_until": _w, ...every } = await environOf(event);
    expect(own).toEqual(every);
    expect(own["aws.event_kind"]).toBe(kind);
  });

  it("eventPath delivers other events as with tsgi/aws-lambda", async () => {
    const app: App = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "application/json"]]);
      return [enc.encode('{"ok":true}')];
    };
    const sqs = { Records: [{ eventSource: "aws:sqs", body: "hello", messageId: "1" }] };
    expect(await httpApi.createHandler(app, { eventPath: "/events" })(sqs, context)).toEqual({ ok: true });
  });
});
