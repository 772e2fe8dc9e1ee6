/** Every published AWS event sample through the buffered handler: a well-formed result, or a clear error. */
import { describe, expect, it } from "vitest";
import { UnsupportedEventError, createHandler, detectEvent } from "../../adapters/aws-lambda.ts";
import type { App, Environ } from "../../core/index.ts";
import { loadSamples } from "./samples.ts";

let seen: Environ | undefined;
const capture: App = async (environ, startResponse) => {
  seen = environ;
  const body = await environ["tsgi.input"].read();
  startResponse("200 OK", [
    ["Content-Type", "application/octet-stream"],
    ["Set-Cookie", "a=1; Path=/"],
    ["Set-Cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
  ]);
  return [body];
};
const logged: string[] = [];
const handler = createHandler(capture, { log: (line) => logged.push(line) });
const context = { awsRequestId: "sample-request", functionName: "tsgi-samples" };

const KINDS: Record<string, string[]> = {
  "api-gateway-v1": ["api-gateway-v1"],
  "api-gateway-v2": ["api-gateway-v2"],
  "function-url": ["function-url"],
  alb: ["alb", "alb-multi-value"],
  "vpc-lattice": ["vpc-lattice"],
  "lambda-edge": ["lambda-edge"],
};

const samples = loadSamples();

describe("AWS event samples", () => {
  it("are all present (both payload versions, every front door, the invalid ones)", () => {
    expect(new Set(samples.map((s) => s.folder))).toEqual(new Set([...Object.keys(KINDS), "invalid"]));
  });

  for (const { folder, file, event } of samples.filter((s) => s.folder !== "invalid")) {
    it(`${folder}/${file} gives a well-formed result`, async () => {
      const kind = detectEvent(event).kind;
      expect(KINDS[folder]).toContain(kind);
      seen = undefined;
      const result = (await handler(event, context)) as Record<string, unknown>;
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      expect(typeof result.body).toBe("string");
      if (kind === "lambda-edge") {
        expect(result).toMatchObject({ status: "200", statusDescription: "OK" });
        // The app echoes the body as octet-stream: base64 unless there is none.
        expect(result.bodyEncoding).toBe(result.body === "" ? "text" : "base64");
      } else {
        expect(result.statusCode).toBe(200);
        expect(typeof result.isBase64Encoded).toBe("boolean");
      }
      // The app ran with a sound environ.
      expect(seen!.PATH_INFO === "" || seen!.PATH_INFO.startsWith("/")).toBe(true);
      expect(seen!.SERVER_NAME).not.toBe("");
      expect(seen!["aws.event_kind"]).toBe(kind);
      expect(seen!["aws.event"]).toBe(event);
      for (const [key, value] of Object.entries(seen!))
        if (!key.includes(".")) expect(typeof value, key).toBe("string");
      // Both cookies go out unmerged wherever the response format can carry them.
      if (kind === "api-gateway-v1" || kind === "alb-multi-value") {
        expect((result.multiValueHeaders as Record<string, string[]>)["Set-Cookie"]).toHaveLength(2);
      } else if (kind === "lambda-edge") {
        expect((result.headers as Record<string, unknown>)["set-cookie"]).toEqual([
          { key: "Set-Cookie", value: "a=1; Path=/" },
          { key: "Set-Cookie", value: "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT" },
        ]);
      } else if (kind === "api-gateway-v2" || kind === "function-url") {
        expect(result.cookies).toEqual(["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]);
      } else {
        expect((result.headers as Record<string, string>)["Set-Cookie"]).toBe("a=1; Path=/");
        expect(logged.join("\n")).toMatch(/\[sample-request\] tsgi: warning: .*2 cookies/);
      }
    });
  }

  for (const { file, event } of samples.filter((s) => s.folder === "invalid")) {
    it(`invalid/${file} is refused with an error that names it`, async () => {
      const error: unknown = await handler(event, context).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedEventError);
      expect((error as UnsupportedEventError).eventName).toMatch(/WebSocket event|authorizer request/);
      expect((error as Error).message).toMatch(/serves HTTP events .* but got an API Gateway/);
    });
  }
});

const find = (name: string) => samples.find((s) => `${s.folder}/${s.file}` === name)!.event;
const run = async (name: string) => {
  seen = undefined;
  const result = await handler(find(name), context);
  return { environ: seen!, result: result as Record<string, unknown> };
};

describe("AWS event samples: mapping details", () => {
  it.each([
    [
      "api-gateway-v1/powertools-no-auth.json",
      // On the execute-api host the stage leads the path the client used: it becomes SCRIPT_NAME.
      { SCRIPT_NAME: "/prod", PATH_INFO: "/no-auth", RAW_URI: "/prod/no-auth", REMOTE_ADDR: "15.248.3.126" },
    ],
    [
      "api-gateway-v1/go-apigw-request.json",
      {
        SCRIPT_NAME: "",
        PATH_INFO: "/hello/world",
        QUERY_STRING: "name=me",
        CONTENT_TYPE: "application/json",
        CONTENT_LENGTH: "13",
        REMOTE_ADDR: "192.168.196.186",
      },
    ],
    [
      "api-gateway-v1/powertools-console-test-ui.json",
      // No headers at all: served (the front door checked Host), SERVER_NAME from the domain name,
      // and no HTTP_HOST invented.
      {
        SERVER_NAME: "testprefix.testdomainname",
        SERVER_PORT: "443",
        PATH_INFO: "/no-auth",
        HTTP_HOST: undefined,
      },
    ],
    [
      "api-gateway-v2/go-apigw-v2-request-jwt-authorizer.json",
      {
        QUERY_STRING: "parameter1=value1&parameter1=value2&parameter2=value",
        HTTP_COOKIE: "cookie1; cookie2",
        SCRIPT_NAME: "",
        PATH_INFO: "/my/path",
        REMOTE_ADDR: "IP",
      },
    ],
    [
      "api-gateway-v2/powertools-lambda-authorizer-auth.json",
      { CONTENT_LENGTH: "0", REQUEST_METHOD: "POST" },
    ],
    [
      "function-url/go-function-url-request-with-headers-and-cookies-and-text-body.json",
      {
        HTTP_COOKIE: "foo=bar; hello=hello",
        CONTENT_LENGTH: "18",
        QUERY_STRING: "hello=world&foo=bar",
        HTTP_HEADER2: "h1,h2",
        "tsgi.url_scheme": "https",
      },
    ],
    [
      "function-url/go-function-url-domain-only-request-with-base64-encoded-body.json",
      { CONTENT_LENGTH: "6" },
    ],
    [
      "alb/go-multivalue-headers.json",
      // REMOTE_ADDR is the hop ALB appended to X-Forwarded-For; the header stays as ALB sent it.
      {
        REMOTE_ADDR: "72.21.198.67",
        HTTP_X_FORWARDED_FOR: "72.21.198.67",
        QUERY_STRING: "key=hello",
        SERVER_PORT: "80",
        "tsgi.url_scheme": "http",
      },
    ],
    [
      "alb/powertools-base.json",
      { CONTENT_LENGTH: "4", QUERY_STRING: "query=1234ABCD", PATH_INFO: "/lambda" },
    ],
    [
      "vpc-lattice/powertools-v1-base.json",
      { PATH_INFO: "/testpath", QUERY_STRING: "order-id=1", REMOTE_ADDR: "10.213.229.10" },
    ],
    ["vpc-lattice/powertools-v2-base.json", { PATH_INFO: "/newpath", QUERY_STRING: "order-id=1" }],
    [
      "lambda-edge/aws-docs-viewer-request.json",
      {
        REQUEST_METHOD: "GET",
        PATH_INFO: "/",
        QUERY_STRING: "",
        SERVER_NAME: "d111111abcdef8.cloudfront.net",
        SERVER_PORT: "443",
        REMOTE_ADDR: "203.0.113.178",
        HTTP_USER_AGENT: "curl/7.66.0",
        HTTP_ACCEPT: "*/*",
        "aws.body_truncated": undefined,
      },
    ],
    [
      // A body on a viewer request, an IPv6 viewer, both origin kinds listed (Go's sample).
      "lambda-edge/go-cloudfront-request.json",
      {
        PATH_INFO: "/picture.jpg",
        QUERY_STRING: "size=large",
        REMOTE_ADDR: "2001:0db8:85a3:0:0:8a2e:0370:7334",
        CONTENT_LENGTH: "59",
        SERVER_NAME: "d111111abcdef8.cloudfront.net",
      },
    ],
    [
      "lambda-edge/aws-docs-origin-request.json",
      {
        SERVER_NAME: "example.org",
        HTTP_VIA: expect.stringContaining("CloudFront"),
        REMOTE_ADDR: "203.0.113.178",
      },
    ],
    [
      "lambda-edge/aws-docs-origin-request-body.json",
      {
        REQUEST_METHOD: "POST",
        PATH_INFO: "/submit",
        QUERY_STRING: "a=1&b=2",
        CONTENT_TYPE: "application/x-www-form-urlencoded",
        CONTENT_LENGTH: "14",
      },
    ],
  ])("%s", async (name, want) => {
    const { environ } = await run(name);
    for (const [key, value] of Object.entries(want))
      expect(environ[key as keyof typeof environ], key).toEqual(value);
  });

  it("decodes a base64 body and recomputes CONTENT_LENGTH from the bytes", async () => {
    const { result } = await run(
      "function-url/go-function-url-domain-only-request-with-base64-encoded-body.json",
    );
    expect(Buffer.from(result.body as string, "base64").toString()).toBe("<idk/>");
  });

  it("drops headers holding _", async () => {
    expect((await run("vpc-lattice/powertools-v1-base.json")).environ.HTTP_USER_AGENT).toBeUndefined();
  });

  it.each([
    [
      "api-gateway-v1/go-apigw-request.json",
      { type: "lambda", principalId: "admin", context: { clientId: 1, clientName: "Exata" } },
    ],
    [
      "api-gateway-v1/powertools-lambda-authorizer-auth.json",
      { type: "lambda", principalId: "user", context: {} },
    ],
    [
      "api-gateway-v1/powertools-jwt-authorizer-auth.json",
      { type: "cognito", claims: expect.objectContaining({ "cognito:username": "aamorosi" }) },
    ],
    [
      "api-gateway-v1/powertools-iam-auth.json",
      {
        type: "iam",
        iam: expect.objectContaining({ userArn: "arn:aws:sts::123456789012:assumed-role/Admin/aamorosi" }),
      },
    ],
    ["api-gateway-v1/powertools-no-auth.json", undefined],
    [
      "api-gateway-v2/go-apigw-v2-request-jwt-authorizer.json",
      { type: "jwt", claims: { claim1: "value1", claim2: "value2" }, scopes: ["scope1", "scope2"] },
    ],
    [
      "api-gateway-v2/go-apigw-v2-request-lambda-authorizer.json",
      { type: "lambda", context: { key: "value" } },
    ],
    ["api-gateway-v2/powertools-lambda-authorizer-auth.json", { type: "lambda", context: {} }],
    [
      "api-gateway-v2/go-apigw-v2-request-iam.json",
      { type: "iam", iam: expect.objectContaining({ userArn: "arn:aws:iam::1234567890:user/Admin" }) },
    ],
    [
      "function-url/go-lambda-urls-request.json",
      { type: "iam", iam: expect.objectContaining({ callerId: "AIDA..." }) },
    ],
    ["api-gateway-v2/go-apigw-v2-request-no-authorizer.json", undefined],
  ])("normalizes the authorizer of %s", async (name, want) => {
    const { environ } = await run(name);
    expect(environ["aws.authorizer"]).toEqual(want);
    expect(environ["aws.request_context"]).toBe((find(name) as { requestContext?: unknown }).requestContext);
  });
});
