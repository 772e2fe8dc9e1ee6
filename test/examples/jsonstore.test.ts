/** The JSONStore's changes do not interleave: two edits at once both land. */
import { afterAll, expect, it } from "vitest";
import { type ServerHandle, serve } from "../../adapters/node.ts";
import { createJsonStore } from "../../examples/jsonstore/app.ts";
import { type DocumentStore, memoryStore } from "../../examples/jsonstore/store.ts";

let server: ServerHandle | undefined;
afterAll(() => server?.close());

it("two PUTs to different sub-paths at once both land (load, modify, save never interleave)", async () => {
  const memory = memoryStore({ a: 0, b: 0 });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  // A slow store: without serialization both changes would load {a:0,b:0} and the last save wins.
  const slow: DocumentStore = {
    load: async () => (await pause(), memory.load()),
    save: async (document) => (await pause(), memory.save(document)),
    clear: () => memory.clear(),
  };
  server = await serve(createJsonStore({ store: slow }), { port: 0 });
  const put = (path: string, value: string) =>
    fetch(new URL(path, server!.url), { method: "PUT", body: value });
  const responses = await Promise.all([put("/a", "1"), put("/b", "2")]);
  expect(responses.map((r) => r.status)).toEqual([200, 200]);
  expect(await (await fetch(server.url)).json()).toEqual({ a: 1, b: 2 });
});
