/**
 * A hand-written handler for exactly these events: the floor every adapter is measured against. It
 * does the same app work (the echo parses and re-serializes the JSON) and nothing else.
 */
import type { LambdaHandlerLike } from "./types.ts";
import { HELLO_TEXT } from "../workload.ts";

interface RawEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
}

export const hello = (): LambdaHandlerLike => async () => ({
  statusCode: 200,
  headers: { "content-type": "text/plain; charset=utf-8" },
  body: HELLO_TEXT,
  isBase64Encoded: false,
});

export const echo = (): LambdaHandlerLike => async (event: RawEvent) => {
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? "", "base64").toString("utf8")
    : (event.body ?? "");
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(JSON.parse(text)),
    isBase64Encoded: false,
  };
};
