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
      expect(result.statusCode).toBe(200);
      expect(typeof result.body).toBe("string");
      expect(typeof result.isBase64Encoded).toBe("boolean");
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
      // No headers at all: the domain name stands in for the Host the front door had.
      {
        SERVER_NAME: "testprefix.testdomainname",
        PATH_INFO: "/no-auth",
        HTTP_HOST: "testPrefix.testDomainName",
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
      // ALB's own hop moves from X-Forwarded-For to REMOTE_ADDR.
      {
        REMOTE_ADDR: "72.21.198.67",
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
  ])("%s", async (name, want) => {
    const { environ } = await run(name);
    for (const [key, value] of Object.entries(want))
      expect(environ[key as keyof typeof environ], key).toBe(value);
  });

  it("decodes a base64 body and recomputes CONTENT_LENGTH from the bytes", async () => {
    const { result } = await run(
      "function-url/go-function-url-domain-only-request-with-base64-encoded-body.json",
    );
    expect(Buffer.from(result.body as string, "base64").toString()).toBe("<idk/>");
  });

  it("drops the ALB hop from X-Forwarded-For and headers holding _", async () => {
    expect((await run("alb/go-multivalue-headers.json")).environ.HTTP_X_FORWARDED_FOR).toBeUndefined();
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
