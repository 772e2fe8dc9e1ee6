/** The hello and echo apps as tsgi apps. */
import type { App } from "../../core/index.ts";
import { HELLO_TEXT } from "../workload.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HELLO = encoder.encode(HELLO_TEXT);

export const helloApp: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
  return [HELLO];
};

export const echoApp: App = async (environ, startResponse) => {
  const bytes = await environ["tsgi.input"].read();
  const out = encoder.encode(JSON.stringify(JSON.parse(decoder.decode(bytes))));
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [out];
};
