/**
 * The examples' user stories inside workerd, through each example's Worker entry (worker.ts) with
 * the bindings of its wrangler.jsonc: the JSONStore's Durable Object, Penny's D1 seeded from penny.sql.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import hello from "../../examples/hello/worker.ts";
import hono from "../../examples/hono/worker.ts";
import jsonstore from "../../examples/jsonstore/worker.ts";
import type { Env as JsonStoreEnv } from "../../examples/jsonstore/worker.ts";
import seed from "../../examples/penny/penny.sql";
import penny from "../../examples/penny/worker.ts";
import type { Env as PennyEnv } from "../../examples/penny/worker.ts";
import { fromFetchResponse, toFetchRequest } from "../conformance/fetch-client.ts";
import {
  type Step,
  checkStep,
  helloStories,
  honoStories,
  jsonStoreStories,
  pennyStories,
} from "../examples/stories.ts";

interface D1Binding {
  prepare(sql: string): unknown;
  batch(statements: unknown[]): Promise<unknown>;
}

const ctx = { waitUntil: (_promise: Promise<unknown>) => {} };

function runStories(name: string, stories: Step[], fetch: (request: Request) => Promise<Response>) {
  describe(`${name} in workerd`, () => {
    for (const step of stories) {
      it(step.name, async () => {
        const request = toFetchRequest(step.request, { headerText: "utf8" });
        checkStep(step, await fromFetchResponse(await fetch(request)));
      });
    }
  });
}

beforeAll(async () => {
  // D1's exec() takes one statement per line: run penny.sql's statements as one batch instead.
  const db = env.DB as D1Binding;
  const statements = seed
    .split(/;\s*$/m)
    .map((s) => s.replace(/^--.*$/gm, "").trim())
    .filter(Boolean);
  await db.batch(statements.map((sql) => db.prepare(sql)));
});

runStories("hello", helloStories, (request) => hello.fetch(request, env, ctx));
runStories("jsonstore", jsonStoreStories, (request) =>
  jsonstore.fetch(request, env as unknown as JsonStoreEnv),
);
runStories("penny", pennyStories, (request) => penny.fetch(request, env as unknown as PennyEnv, ctx));
runStories("hono", honoStories, (request) => hono.fetch(request, env, ctx));

describe("hono in workerd: the platform as Hono expects it", () => {
  it("c.env is the Worker's env (its vars), through fromFetch", async () => {
    const request = new Request("https://example.com/platform");
    const response = await hono.fetch(request, env, ctx);
    expect(await response.json()).toEqual({
      lambdaRequestId: null,
      lambdaEvent: false,
      greeting: "hello from workerd",
    });
  });
});
