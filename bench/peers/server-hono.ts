/** @hono/node-server serving Hono. */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { helloHono } from "./hono-apps.ts";
import type { ServerApp } from "./types.ts";

export async function start(app: ServerApp): Promise<{ port: number }> {
  if (app !== "hello") throw new Error("the Hono server peer serves hello only");
  return new Promise((resolve) => {
    serve({ fetch: helloHono().fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ port: info.port }),
    );
  });
}
