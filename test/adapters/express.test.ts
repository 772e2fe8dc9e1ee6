/**
 * tsgi inside real Express 5 over real sockets: the mount point from req.baseUrl, the original
 * target, and the body a parser mounted first left behind (or did not).
 */
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createListener } from "../../adapters/node.ts";
import { mountedRequest } from "../../adapters/node/express.ts";
import { type App, bytesToLatin1, createErrorStream, latin1ToBytes } from "../../core/index.ts";

let log = "";
const errors = createErrorStream((line) => (log += `${line}\n`));

/** Answers the mount-related environ keys and the body it read, as JSON. */
const where: App = async (environ, startResponse) => {
  const body = await environ["tsgi.input"].read();
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  const { SCRIPT_NAME, PATH_INFO, QUERY_STRING, RAW_URI, CONTENT_LENGTH } = environ;
  const json = { SCRIPT_NAME, PATH_INFO, QUERY_STRING, RAW_URI, CONTENT_LENGTH, body: bytesToLatin1(body) };
  return [new TextEncoder().encode(JSON.stringify(json))];
};

let server: Server;
let base: string;
beforeAll(async () => {
  const app = express();
  const listener = createListener(where, { errors });
  app.use("/legacy", listener);
  const outer = express.Router();
  outer.use("/inner", listener);
  app.use("/outer", outer);
  // A raw parser first: its Buffer is the body. A JSON parser first: nothing is left to read.
  app.use("/raw", express.raw({ type: "*/*" }), listener);
  app.use("/json", express.json(), listener);
  // A middleware that rewrites the URL after the mount: the rewrite is what the app sees.
  app.use(
    "/rw",
    (req, _res, next) => {
      req.url = `/rewritten${req.url}`;
      next();
    },
    listener,
  );
  app.use(listener);
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = async (path: string, init?: RequestInit) => {
  log = "";
  const response = await fetch(base + path, init);
  return { status: response.status, text: await response.text() };
};

describe("tsgi inside Express 5", () => {
  it.each([
    ["/legacy/a%2Fb?x=1&y", "/legacy", "/a/b", "x=1&y"],
    ["/legacy", "/legacy", "", ""],
    ["/legacy/", "/legacy", "/", ""],
    ["/legacy?q", "/legacy", "", "q"],
    ["/LEGACY/Case", "/LEGACY", "/Case", ""],
    ["/outer/inner/deep/x", "/outer/inner", "/deep/x", ""],
    ["/elsewhere/x", "", "/elsewhere/x", ""],
  ])(
    "%s gives SCRIPT_NAME %j, PATH_INFO %j, RAW_URI the original target",
    async (target, script, path, query) => {
      const { status, text } = await call(target);
      expect(status).toBe(200);
      expect(JSON.parse(text)).toMatchObject({
        SCRIPT_NAME: script,
        PATH_INFO: path,
        QUERY_STRING: query,
        RAW_URI: target,
      });
    },
  );

  it("a URL rewritten by a middleware after the mount is the one the app sees", async () => {
    const { status, text } = await call("/rw/x?q=1");
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      SCRIPT_NAME: "/rw",
      PATH_INFO: "/rewritten/x",
      QUERY_STRING: "q=1",
      RAW_URI: "/rw/rewritten/x?q=1",
    });
  });

  it("after express.raw(), tsgi.input reads the Buffer it left, byte-exact", async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const { status, text } = await call("/raw/upload", { method: "POST", body: bytes });
    expect(status).toBe(200);
    const echoed = JSON.parse(text) as { body: string; CONTENT_LENGTH: string; SCRIPT_NAME: string };
    expect(latin1ToBytes(echoed.body)).toEqual(bytes);
    expect(echoed.CONTENT_LENGTH).toBe("256");
    expect(echoed.SCRIPT_NAME).toBe("/raw");
  });

  it("after express.json() consumed the body, a 500 and a log line naming the middleware order", async () => {
    const { status, text } = await call("/json", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"a":1}',
    });
    expect(status).toBe(500);
    expect(text).not.toContain("express.json");
    expect(log).toMatch(/mounted before the tsgi listener.*express\.json\(\)/s);
    expect(log).toMatch(/Mount the tsgi listener before the body parsers/);
  });

  it("a body the JSON parser skipped (another type) still streams from the socket", async () => {
    const { status, text } = await call("/json/x", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "plain",
    });
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ body: "plain", SCRIPT_NAME: "/json", PATH_INFO: "/x" });
  });
});

describe("mountedRequest: Connect's fields (originalUrl only, the prefix cut from url)", () => {
  it.each([
    [{ url: "/x?y=1", originalUrl: "/legacy/x?y=1" }, "/legacy"],
    [{ url: "/", originalUrl: "/legacy" }, "/legacy"],
    [{ url: "/?q", originalUrl: "/legacy?q" }, "/legacy"],
    [{ url: "/a", originalUrl: "/caf%C3%A9/a" }, "/caf\u00c3\u00a9"],
  ])("%j mounts at %j", (fields, scriptName) => {
    expect(mountedRequest(fields as unknown as IncomingMessage)).toEqual({
      target: fields.originalUrl,
      scriptName,
    });
  });
  it("a request no framework rewrote is left alone", () => {
    expect(mountedRequest({ url: "/x" } as unknown as IncomingMessage)).toBeUndefined();
    expect(mountedRequest({ url: "/x", originalUrl: "/x" } as unknown as IncomingMessage)).toBeUndefined();
  });
});
