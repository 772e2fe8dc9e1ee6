/** A hand-written Fetch handler: the floor. */
import { HELLO_TEXT } from "../workload.ts";

export const hello = () => (_request: Request) =>
  new Response(HELLO_TEXT, { headers: { "content-type": "text/plain; charset=utf-8" } });
export const echo = () => async (request: Request) =>
  new Response(JSON.stringify(await request.json()), { headers: { "content-type": "application/json" } });
