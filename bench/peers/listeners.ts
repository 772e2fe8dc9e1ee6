/**
 * The hello and echo apps as bare node:http listeners: what serverless-http and serverless-express
 * run (they accept any `(req, res)` listener), and the bare node:http server. No framework, so the
 * figures are the adapters' own cost.
 * @module
 */
import { HELLO_TEXT } from "../workload.ts";
import type { Listener } from "./types.ts";

export const helloListener: Listener = (_req, res) => {
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
  res.end(HELLO_TEXT);
};

export const echoListener: Listener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const text = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(text);
  });
};
