/** Hono on Workers: the app itself is the module export, as Hono's docs show. */
import { echoHono, helloHono } from "./hono-apps.ts";

export const hello = () => helloHono();
export const echo = () => echoHono();
