/** tsgi's `serve()` from tsgi/node. */
import { serve } from "../../adapters/node.ts";
import type { App } from "../../core/index.ts";
import { streamChunks } from "./stream.ts";
import { helloApp } from "./tsgi-apps.ts";
import type { ServerApp } from "./types.ts";

const streamApp: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "application/octet-stream"]]);
  return streamChunks();
};

export async function start(app: ServerApp): Promise<{ port: number }> {
  const handle = await serve(app === "hello" ? helloApp : streamApp, { port: 0 });
  return { port: handle.port };
}
