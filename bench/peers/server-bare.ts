/** Bare node:http: the floor for the Node server benchmark. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { helloListener } from "./listeners.ts";
import type { ServerApp } from "./types.ts";
import { streamChunks } from "./stream.ts";

export async function start(app: ServerApp): Promise<{ port: number }> {
  const server = createServer(
    app === "hello"
      ? helloListener
      : async (_req, res) => {
          res.writeHead(200, { "content-type": "application/octet-stream" });
          for (const chunk of streamChunks()) {
            if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
          }
          res.end();
        },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port };
}
