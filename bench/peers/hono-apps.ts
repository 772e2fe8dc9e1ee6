/** The hello and echo apps as Hono apps. */
import { Hono } from "hono";
import { HELLO_TEXT } from "../workload.ts";

export function helloHono(): Hono {
  return new Hono().get("*", (c) => c.text(HELLO_TEXT));
}

export function echoHono(): Hono {
  return new Hono().post("*", async (c) => c.json(await c.req.json()));
}
