/** The examples' user stories on the local Node server, over real sockets. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { type ServerHandle, serve } from "../../adapters/node.ts";
import { fromFetch } from "../../adapters/fetch.ts";
import { app as hello } from "../../examples/hello/app.ts";
import { app as hono } from "../../examples/hono/app.ts";
import { createJsonStore } from "../../examples/jsonstore/app.ts";
import { fileStore } from "../../examples/jsonstore/file-store.ts";
import { createPenny } from "../../examples/penny/app.ts";
import { openSqlite } from "../../examples/penny/sqlite.ts";
import { rawRequest } from "../conformance/raw-http.ts";
import {
  type Step,
  checkStep,
  helloStories,
  honoStories,
  jsonStoreStories,
  pennyStories,
} from "./stories.ts";

const dir = mkdtempSync(join(tmpdir(), "tsgi-examples-"));
const servers: ServerHandle[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function runStories(name: string, stories: Step[], start: () => Promise<ServerHandle>) {
  describe(`${name} on node`, () => {
    let server: Promise<ServerHandle> | undefined;
    for (const step of stories) {
      it(step.name, async () => {
        server ??= start().then((s) => (servers.push(s), s));
        checkStep(step, await rawRequest((await server).port, step.request));
      });
    }
  });
}

runStories("hello", helloStories, () => serve(hello, { port: 0 }));
runStories("jsonstore", jsonStoreStories, () =>
  serve(createJsonStore({ store: fileStore(join(dir, "store.json")) }), { port: 0 }),
);
runStories("penny", pennyStories, () =>
  serve(createPenny({ db: openSqlite(readFileSync("examples/penny/penny.sql", "utf8")) }), { port: 0 }),
);
runStories("hono", honoStories, () => serve(fromFetch(hono.fetch), { port: 0 }));
