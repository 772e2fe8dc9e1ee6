/**
 * The typed environ, checked by the compiler (`npm test` runs tsc over this file first; each
 * `@ts-expect-error` fails the typecheck if its line ever compiles) and by vitest for the values.
 */
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AlbEvent,
  type ApiGatewayV1Event,
  type ApiGatewayV2Event,
  type LambdaContext,
  type LambdaEnviron,
  createHandler,
} from "../../adapters/aws-lambda.ts";
import { type CloudflareEnviron, createWorker } from "../../adapters/cloudflare.ts";
import { createFetchHandler, fromFetch } from "../../adapters/fetch.ts";
import { type NodeEnviron, createListener } from "../../adapters/node.ts";
import { type App, type Environ, mount } from "../../core/index.ts";

const text = (s: string) => [new TextEncoder().encode(s)];

/** A plain app: the core keys only, so it runs on every adapter. */
const portable: App = (environ, startResponse) => {
  expectTypeOf(environ.REQUEST_METHOD).toEqualTypeOf<string>();
  expectTypeOf(environ.HTTP_USER_AGENT).toEqualTypeOf<string | undefined>();
  expectTypeOf(environ.HTTP_X_ANYTHING_AT_ALL).toEqualTypeOf<string | undefined>();
  expectTypeOf(environ.CONTENT_LENGTH).toEqualTypeOf<string | undefined>();
  expectTypeOf(environ["myapp.user"]).toEqualTypeOf<unknown>();
  // @ts-expect-error a typo of a CGI key is no key at all
  void environ.REQEST_METHOD;
  // @ts-expect-error an undotted key that is not CGI is not an extension either
  environ.user = "someone";
  // @ts-expect-error header keys hold strings
  environ.HTTP_X_COUNT = 3;
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return text(environ.HTTP_USER_AGENT ?? "no agent");
};

interface Env {
  GREETING: string;
}

describe("typed environ", () => {
  it("a plain App is accepted by every adapter", () => {
    expect(typeof createHandler(portable)).toBe("function");
    expect(typeof createWorker(portable).fetch).toBe("function");
    expect(typeof createListener(portable)).toBe("function");
    expect(typeof createFetchHandler(portable)).toBe("function");
    expect(typeof fromFetch(createFetchHandler(portable))).toBe("function");
    expectTypeOf(mount({ "/a": portable })).toEqualTypeOf<App<Environ>>();
  });

  it("createWorker<Env> types cloudflare.env as Env", () => {
    const worker = createWorker<Env>((environ, startResponse) => {
      expectTypeOf(environ["cloudflare.env"]).toEqualTypeOf<Env>();
      expectTypeOf(environ["cloudflare.ctx"].waitUntil).toBeFunction();
      startResponse("200 OK", []);
      return text(environ["cloudflare.env"].GREETING);
    });
    expect(typeof worker.fetch).toBe("function");
    const cloudflareApp: App<CloudflareEnviron<Env>> = (_environ, startResponse) => {
      startResponse("200 OK", []);
      return [];
    };
    // @ts-expect-error an app that needs cloudflare.env does not run on Lambda
    createHandler(cloudflareApp);
    // @ts-expect-error nor on Node
    createListener(cloudflareApp);
    expectTypeOf(mount({ "/w": cloudflareApp })).toEqualTypeOf<App<CloudflareEnviron<Env>>>();
  });

  it("the Lambda keys narrow on aws.event_kind, and the @types/aws-lambda types fit them", () => {
    const app: App<LambdaEnviron> = (environ, startResponse) => {
      expectTypeOf(environ["aws.context"]).toEqualTypeOf<LambdaContext>();
      if (environ["aws.event_kind"] === "alb") expectTypeOf(environ["aws.event"]).toEqualTypeOf<AlbEvent>();
      if (environ["aws.event_kind"] === "api-gateway-v1")
        expectTypeOf(environ["aws.event"]).toEqualTypeOf<ApiGatewayV1Event>();
      if (environ["aws.event_kind"] === "function-url")
        expectTypeOf(environ["aws.event"].requestContext.http.method).toEqualTypeOf<string>();
      startResponse("200 OK", []);
      return [];
    };
    expect(typeof createHandler(app)).toBe("function");
    // @ts-expect-error an app that needs aws.* does not run on Workers
    createWorker(app);
    // The adapter's structural event types: a value of the official type reads the same fields.
    expectTypeOf<ALBEvent>().toExtend<AlbEvent>();
    expectTypeOf<APIGatewayProxyEvent["requestContext"]["identity"]["sourceIp"]>().toExtend<
      NonNullable<NonNullable<ApiGatewayV1Event["requestContext"]>["identity"]>["sourceIp"]
    >();
    expectTypeOf<APIGatewayProxyEventV2["requestContext"]["http"]>().toExtend<
      ApiGatewayV2Event["requestContext"]["http"]
    >();
    expectTypeOf<Context["awsRequestId"]>().toEqualTypeOf<LambdaContext["awsRequestId"]>();
  });

  it("node.request is the IncomingMessage", () => {
    const app: App<NodeEnviron> = (environ, startResponse) => {
      expectTypeOf(environ["node.request"].headers).toBeObject();
      startResponse("200 OK", []);
      return [];
    };
    expect(typeof createListener(app)).toBe("function");
  });
});
