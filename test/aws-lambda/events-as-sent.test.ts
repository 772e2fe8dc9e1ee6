/**
 * Lambda events as AWS really sends them (issue #10): no Host, `headers: null`, the REST stage root,
 * one UTF-8 rule for event text, X-Forwarded-For as the load balancer sent it, malformed events,
 * response header names, and event paths that no HTTP request can reach.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  EventFailedError,
  type StreamingRuntime,
  createHandler,
  createStreamingHandler,
  eventSource,
} from "../../adapters/aws-lambda.ts";
import type { App, Environ } from "../../core/index.ts";
import {
  fromResult,
  toAlbEvent,
  toEdgeEvent,
  toFunctionUrlEvent,
  toHttpApiEvent,
  toLatticeEvent,
  toRestEvent,
} from "../../scripts/lambda-events.ts";
import type { TestRequest } from "../conformance/types.ts";

const context = { awsRequestId: "as-sent", functionName: "tsgi-test" };
type Json = Record<string, unknown>;
const KINDS: Array<[string, (r: TestRequest) => unknown]> = [
  ["REST", toRestEvent],
  ["HTTP API", toHttpApiEvent],
  ["Function URL", toFunctionUrlEvent],
  ["ALB multi-value", (r) => toAlbEvent(r, true)],
  ["ALB single-value", (r) => toAlbEvent(r, false)],
  ["VPC Lattice", toLatticeEvent],
  ["Lambda@Edge viewer-request", (r) => toEdgeEvent(r, "viewer-request")],
  ["Lambda@Edge origin-request", (r) => toEdgeEvent(r, "origin-request")],
];
const get = (target: string, headers: Array<[string, string]> = [["Host", "example.com"]]): TestRequest => ({
  method: "GET",
  target,
  headers,
});

/** Runs the event through a handler whose app records its environ; the environ and the response. */
async function serve(event: unknown, options: Parameters<typeof createHandler>[1] = {}) {
  let seen: Environ | undefined;
  const lines: string[] = [];
  const app: App = (environ, startResponse) => {
    seen = environ;
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [new TextEncoder().encode("ok")];
  };
  const result = await createHandler(app, { log: (line) => lines.push(line), ...options })(event, context);
  return { environ: seen, response: fromResult(result, "GET"), log: lines.join("\n"), result };
}

describe("aws-lambda: events without a Host header reach the app", () => {
  it.each(KINDS)("%s: no Host, no HTTP_HOST invented", async (_name, toEvent) => {
    const { environ, response } = await serve(
      toEvent(get("/health", [["User-Agent", "ELB-HealthChecker/2.0"]])),
    );
    expect(response.status).toBe(200);
    expect(environ!.HTTP_HOST).toBeUndefined();
    expect(environ!.SERVER_NAME).not.toBe("");
    expect(environ!.HTTP_USER_AGENT).toBe("ELB-HealthChecker/2.0");
  });

  it("an ALB health check (no Host, X-Forwarded-Port absent): SERVER_NAME the placeholder, port by scheme", async () => {
    const event = {
      requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1" } },
      httpMethod: "GET",
      path: "/health",
      queryStringParameters: {},
      headers: { "user-agent": "ELB-HealthChecker/2.0" },
      body: "",
      isBase64Encoded: false,
    };
    const { environ } = await serve(event);
    expect(environ).toMatchObject({ SERVER_NAME: "localhost", SERVER_PORT: "443", PATH_INFO: "/health" });
    expect(environ!.HTTP_HOST).toBeUndefined();
  });

  it.each([
    ["REST", toRestEvent],
    ["HTTP API", toHttpApiEvent],
    ["ALB single-value", (r: TestRequest) => toAlbEvent(r, false)],
    ["VPC Lattice", toLatticeEvent],
  ] as const)("%s with headers: null", async (_name, toEvent) => {
    const event = toEvent(get("/x")) as Json;
    event.headers = null;
    if ("multiValueHeaders" in event) event.multiValueHeaders = null;
    const { environ, response } = await serve(event);
    expect(response.status).toBe(200);
    expect(Object.keys(environ!).filter((k) => k.startsWith("HTTP_"))).toEqual([]);
  });

  it("SERVER_NAME from requestContext.domainName, SERVER_PORT from X-Forwarded-Port", async () => {
    const event = toRestEvent(get("/x", [["X-Forwarded-Port", "8443"]])) as { requestContext: Json };
    event.requestContext.domainName = "API.Example.com";
    expect((await serve(event)).environ).toMatchObject({
      SERVER_NAME: "api.example.com",
      SERVER_PORT: "8443",
    });
  });
});

describe("aws-lambda: the REST stage root mounts like every other path", () => {
  const atStage = (path: string, contextPath: string) => {
    const event = toRestEvent(get(path, [["Host", "abc123.execute-api.eu-west-1.amazonaws.com"]])) as {
      requestContext: Json;
    };
    Object.assign(event.requestContext, { stage: "prod", path: contextPath });
    return event;
  };
  it.each([
    ["/", "/prod", "/prod", ""],
    ["/", "/prod/", "/prod", "/"],
    ["/x", "/prod/x", "/prod", "/x"],
  ])(
    "path %j, requestContext.path %j: SCRIPT_NAME %j, PATH_INFO %j",
    async (path, contextPath, script, info) => {
      const { environ } = await serve(atStage(path, contextPath));
      expect([environ!.SCRIPT_NAME, environ!.PATH_INFO]).toEqual([script, info]);
    },
  );
});

describe("aws-lambda: one text rule for every JSON string of an event (UTF-8 bytes)", () => {
  const utf8 = (text: string) => Buffer.from(text, "utf8").toString("latin1");
  it.each(["caf\u00e9", "caf\u00e9\u2603"])("header, cookie and query %j", async (text) => {
    const event = toHttpApiEvent(get("/")) as { headers: Json; cookies?: string[]; rawQueryString: string };
    event.headers["x-text"] = text;
    event.cookies = [`c=${text}`];
    event.rawQueryString = `q=${text}`;
    const { environ } = await serve(event);
    expect(environ).toMatchObject({
      HTTP_X_TEXT: utf8(text),
      HTTP_COOKIE: utf8(`c=${text}`),
      QUERY_STRING: utf8(`q=${text}`),
    });
  });

  it.each(KINDS)("%s: a header value with only latin-1 characters is UTF-8 too", async (_name, toEvent) => {
    // The wire bytes of "café", which every front door writes into the event as the text "café".
    const { environ } = await serve(
      toEvent(
        get("/", [
          ["Host", "example.com"],
          ["X-Text", utf8("caf\u00e9")],
        ]),
      ),
    );
    expect(environ!.HTTP_X_TEXT).toBe("caf\u00c3\u00a9");
  });

  it("a stage named in non-ASCII text mounts as its UTF-8 bytes, encoded once", async () => {
    const event = toHttpApiEvent(
      get("/caf%C3%A9/x", [["Host", "abc123.execute-api.us-east-1.amazonaws.com"]]),
    ) as {
      requestContext: Json;
    };
    event.requestContext.stage = "caf\u00e9";
    const { environ } = await serve(event);
    expect([environ!.SCRIPT_NAME, environ!.PATH_INFO]).toEqual(["/caf\u00c3\u00a9", "/x"]);
  });

  it("REMOTE_ADDR and SERVER_PROTOCOL follow the rule too", async () => {
    const event = toHttpApiEvent(get("/")) as { requestContext: { http: Json } };
    event.requestContext.http.sourceIp = "\u00e9\u2603";
    event.requestContext.http.protocol = "HTTP/1.1\u00e9";
    const { environ } = await serve(event);
    expect(environ!.REMOTE_ADDR).toBe(utf8("\u00e9\u2603"));
    expect(environ!.SERVER_PROTOCOL).toBe(utf8("HTTP/1.1\u00e9"));
  });
});

describe("aws-lambda: X-Forwarded-For behind ALB and VPC Lattice", () => {
  it.each([
    ["ALB multi-value", (r: TestRequest) => toAlbEvent(r, true)],
    ["ALB single-value", (r: TestRequest) => toAlbEvent(r, false)],
    ["VPC Lattice", toLatticeEvent],
  ] as const)("%s: the header as sent, REMOTE_ADDR its last entry", async (_name, toEvent) => {
    const { environ } = await serve(
      toEvent(
        get("/", [
          ["Host", "example.com"],
          ["X-Forwarded-For", "6.6.6.6"],
        ]),
      ),
    );
    // A proxy-fix middleware trusting one proxy takes the last entry: the address ALB saw, not 6.6.6.6.
    expect(environ).toMatchObject({ HTTP_X_FORWARDED_FOR: "6.6.6.6, 127.0.0.1", REMOTE_ADDR: "127.0.0.1" });
  });
});

describe("aws-lambda: malformed events get a 400 and a log line naming the field", () => {
  const rest = () => toRestEvent(get("/x?a=1")) as Json & { requestContext: Json };
  const v2 = () => toHttpApiEvent(get("/x")) as Json & { requestContext: Json & { http: Json } };
  const alb = () => toAlbEvent(get("/x"), true) as Json;
  it.each([
    ["REST body not a string", () => ({ ...rest(), body: { a: 1 } }), "body"],
    [
      "REST header value an object",
      () => ({ ...rest(), headers: { a: { b: 1 } }, multiValueHeaders: null }),
      "headers.a",
    ],
    [
      "REST multi-value header not strings",
      () => ({ ...rest(), multiValueHeaders: { a: [1] } }),
      "multiValueHeaders.a[0]",
    ],
    [
      "REST query value an object",
      () => ({ ...rest(), multiValueQueryStringParameters: { a: {} } }),
      "multiValueQueryStringParameters.a",
    ],
    [
      "REST stage an object",
      () => {
        const e = rest();
        e.requestContext.stage = {};
        return e;
      },
      "requestContext.stage",
    ],
    [
      "REST requestContext.path a number",
      () => {
        const e = rest();
        e.requestContext.path = 3;
        return e;
      },
      "requestContext.path",
    ],
    [
      "REST basePathMatched a number",
      () => {
        const e = rest();
        e.requestContext.customDomain = { basePathMatched: 1 };
        return e;
      },
      "basePathMatched",
    ],
    [
      "REST sourceIp an array",
      () => {
        const e = rest();
        e.requestContext.identity = { sourceIp: [] };
        return e;
      },
      "sourceIp",
    ],
    [
      "REST protocol an object",
      () => {
        const e = rest();
        e.requestContext.protocol = {};
        return e;
      },
      "requestContext.protocol",
    ],
    [
      "REST base64 body that is not base64",
      () => ({ ...rest(), body: "not base64!", isBase64Encoded: true }),
      "body",
    ],
    [
      "REST isBase64Encoded a string",
      () => ({ ...rest(), body: "aGk=", isBase64Encoded: "yes" }),
      "isBase64Encoded",
    ],
    ["HTTP API cookies not a list", () => ({ ...v2(), cookies: "a=1" }), "cookies"],
    ["HTTP API rawQueryString a number", () => ({ ...v2(), rawQueryString: 5 }), "rawQueryString"],
    [
      "HTTP API sourceIp an object",
      () => {
        const e = v2();
        e.requestContext.http.sourceIp = {};
        return e;
      },
      "sourceIp",
    ],
    ["ALB body a number", () => ({ ...alb(), body: 12 }), "body"],
  ])("%s", async (_name, make, field) => {
    const { environ, response, log } = await serve(make());
    expect(response.status).toBe(400);
    expect(environ).toBeUndefined();
    expect(log).toMatch(/\[as-sent\] tsgi: refused the [\w-]+ event with 400: malformed event: /);
    expect(log).toContain(field);
  });
});

describe("aws-lambda: response header names", () => {
  const app: App = (_environ, startResponse) => {
    startResponse("200 OK", [
      ["__proto__", "p"],
      ["X-A", "1"],
    ]);
    return [];
  };
  it.each(KINDS)("%s: a __proto__ header is kept", async (_name, toEvent) => {
    const result = await createHandler(app, { log: () => {} })(toEvent(get("/")), context);
    expect(JSON.stringify(result)).toContain("__proto__");
    const headers = fromResult(JSON.parse(JSON.stringify(result)), "GET").headers;
    expect(headers.find(([n]) => n === "__proto__")?.[1]).toBe("p");
  });
});

describe("aws-lambda: event paths", () => {
  const EVENT_PATH = "/__tsgi/scheduled";
  let seen: Environ | undefined;
  // An app that trusts tsgi.event, and only that, to know it is running for an event.
  const app: App = (environ, startResponse) => {
    seen = environ;
    const event = environ["tsgi.event"];
    startResponse(event ? "200 OK" : "403 Forbidden", [["Content-Type", "application/json"]]);
    return [new TextEncoder().encode(JSON.stringify({ source: event?.source ?? null }))];
  };
  const handler = createHandler(app, { eventPath: EVENT_PATH, log: () => {} });

  for (const [name, toEvent] of KINDS) {
    it.each([
      "/__tsgi/%73cheduled",
      "/__TSGI/Scheduled",
      "/__tsgi/scheduled/",
      "/__tsgi//scheduled",
      "/x/../__tsgi/scheduled",
      "/__tsgi/scheduled/sub",
    ])(`${name}: an HTTP request to %s is refused 404, the app not called`, async (target) => {
      seen = undefined;
      const response = fromResult(await handler(toEvent(get(target)), context), "GET");
      expect(response.status).toBe(404);
      expect(seen).toBeUndefined();
    });
  }

  it.each([
    [{ Records: [{ eventSource: "aws:sqs", body: "x" }] }, "aws.sqs"],
    [{ Records: [{ eventSource: "aws:s3", s3: {} }] }, "aws.s3"],
    [{ Records: [{ EventSource: "aws:sns", Sns: {} }] }, "aws.sns"],
    [{ source: "aws.events", "detail-type": "Scheduled Event", detail: {} }, "aws.events"],
    [{ source: "aws.scheduler", "detail-type": "Scheduled Event", detail: {} }, "aws.scheduler"],
    [{ eventSource: "aws:kafka", records: {} }, "aws.kafka"],
    [{ awslogs: { data: "" } }, "aws.logs"],
    [{ anything: 1 }, "aws.event"],
  ])("a real event %j is marked tsgi.event with source %s", async (event, source) => {
    seen = undefined;
    expect(eventSource(event)).toBe(source);
    expect(await handler(event, context)).toEqual({ source });
    expect(seen!["tsgi.event"]).toEqual({ source, raw: event });
  });

  it("an HTTP request elsewhere has no tsgi.event", async () => {
    const response = fromResult(await handler(toRestEvent(get("/other")), context), "GET");
    expect(response.status).toBe(403);
  });

  it("EventFailedError carries the source and the status", async () => {
    const failing = createHandler((_e, startResponse) => (startResponse("503 Busy", []), []), {
      eventPath: EVENT_PATH,
      log: () => {},
    });
    const error: unknown = await failing({ Records: [{ eventSource: "aws:sqs" }] }, context).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventFailedError);
    expect(error).toMatchObject({ source: "aws.sqs", status: 503, code: "TSGI_EVENT_FAILED" });
  });
});

describe("aws-lambda: the streaming handler answers events and non-streaming front doors as the buffered one", () => {
  const runtime: StreamingRuntime = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from: () => {
        throw new Error("no prelude for a buffered answer");
      },
    },
  };
  const collect = () => {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    return { stream, text: () => Buffer.concat(chunks).toString() };
  };
  const answer =
    (status: string): App =>
    (_e, startResponse) => {
      startResponse(status, [["Content-Type", "application/json"]]);
      return [new TextEncoder().encode('{"ok":true}')];
    };
  const sqs = { Records: [{ eventSource: "aws:sqs" }] };

  it("a 2xx answer to an event is the payload; any other status fails with EventFailedError", async () => {
    const ok = collect();
    await createStreamingHandler(answer("200 OK"), { eventPath: "/e", runtime })(sqs, ok.stream, context);
    expect(JSON.parse(ok.text())).toEqual({ ok: true });
    const failed = createStreamingHandler(answer("500 Oops"), { eventPath: "/e", runtime, log: () => {} });
    await expect(failed(sqs, collect().stream, context)).rejects.toBeInstanceOf(EventFailedError);
  });

  it("rethrow fails the invocation with the app's own error, before or after the prelude", async () => {
    const boom = new Error("boom");
    const before: App = () => {
      throw boom;
    };
    const after: App = (_e, startResponse) => {
      startResponse("200 OK", []);
      return (function* () {
        yield new Uint8Array(1);
        throw boom;
      })();
    };
    const streaming: StreamingRuntime = {
      streamifyResponse: (handler) => handler,
      HttpResponseStream: { from: (stream) => stream },
    };
    for (const app of [before, after]) {
      const event = toFunctionUrlEvent(get("/"));
      const buffered = await createHandler(app, { rethrow: true, log: () => {} })(event, context).catch(
        (e: unknown) => e,
      );
      const streamed = await createStreamingHandler(app, {
        rethrow: true,
        runtime: streaming,
        log: () => {},
      })(event, collect().stream, context).catch((e: unknown) => e);
      expect(buffered).toBe(boom);
      expect(streamed).toBe(boom);
    }
  });

  it("an ALB event through the streaming handler gets the ALB result as its payload", async () => {
    const out = collect();
    await createStreamingHandler(answer("200 OK"), { runtime })(
      toAlbEvent(get("/"), true),
      out.stream,
      context,
    );
    expect(JSON.parse(out.text())).toMatchObject({
      statusCode: 200,
      statusDescription: "200 OK",
      body: '{"ok":true}',
    });
  });
});

describe("aws-lambda: Lambda@Edge", () => {
  const edge = (type: "viewer-request" | "origin-request", body?: Uint8Array) =>
    toEdgeEvent(
      {
        method: body ? "POST" : "GET",
        target: "/x?a=1",
        headers: [["Host", "example.com"]],
        ...(body ? { body } : {}),
      },
      type,
    );
  const sized =
    (size: number): App =>
    (_e, startResponse) => {
      startResponse("200 OK", [
        ["Content-Type", "text/plain"],
        ["Via", "1.1 app"],
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
      ]);
      return [new Uint8Array(size).fill(0x61)];
    };

  it("the result is CloudFront's shape; Content-Length left to CloudFront, refused headers dropped with a warning", async () => {
    const lines: string[] = [];
    const result = await createHandler(sized(2), { log: (l) => lines.push(l) })(
      edge("origin-request"),
      context,
    );
    expect(result).toEqual({
      status: "200",
      statusDescription: "OK",
      headers: {
        "content-type": [{ key: "Content-Type", value: "text/plain" }],
        "set-cookie": [
          { key: "Set-Cookie", value: "a=1" },
          { key: "Set-Cookie", value: "b=2" },
        ],
      },
      body: "aa",
      bodyEncoding: "text",
    });
    expect(lines.join("\n")).toMatch(/warning: dropped the Via header/);
  });

  it.each([
    ["viewer-request", 39 * 1024, 200],
    ["viewer-request", 41 * 1024, 502],
    ["origin-request", 41 * 1024, 200],
    ["origin-request", 1024 * 1024 + 1, 502],
  ] as const)(
    "%s: a %i-byte body gives %i (CloudFront's limit on a generated response)",
    async (type, size, status) => {
      const lines: string[] = [];
      const result = await createHandler(sized(size), { log: (l) => lines.push(l) })(edge(type), context);
      expect(fromResult(result, "GET").status).toBe(status);
      if (status === 502) expect(lines.join("\n")).toMatch(/front door's limit on a generated response/);
    },
  );

  it("a truncated body reaches the app as sent, with aws.body_truncated", async () => {
    const event = edge("origin-request", new TextEncoder().encode("abc")) as {
      Records: [{ cf: { request: { body: Json } } }];
    };
    event.Records[0].cf.request.body.inputTruncated = true;
    let body = "";
    let truncated: unknown;
    const app: App = async (environ, startResponse) => {
      body = Buffer.from(await environ["tsgi.input"].read()).toString();
      truncated = environ["aws.body_truncated"];
      startResponse("204 No Content", []);
      return [];
    };
    await createHandler(app)(event, context);
    expect([body, truncated]).toEqual(["abc", true]);
  });

  it("a text body and the raw query", async () => {
    const event = edge("origin-request", new TextEncoder().encode("x")) as {
      Records: [{ cf: { request: { body: Json; querystring: string } } }];
    };
    Object.assign(event.Records[0].cf.request.body, { encoding: "text", data: "caf\u00e9" });
    event.Records[0].cf.request.querystring = "a=%20+&b";
    let seen: Environ | undefined;
    await createHandler(
      (environ, startResponse) => ((seen = environ), startResponse("204 No Content", []), []),
    )(event, context);
    expect(seen).toMatchObject({
      QUERY_STRING: "a=%20+&b",
      CONTENT_LENGTH: "5",
      "aws.event_kind": "lambda-edge",
    });
  });

  it("viewer-response and origin-response events are refused by name", async () => {
    const event = {
      Records: [{ cf: { config: { eventType: "viewer-response" }, request: {}, response: {} } }],
    };
    await expect(createHandler(() => [])(event, context)).rejects.toThrow(
      /Lambda@Edge event \(eventType viewer-response/,
    );
  });
});
