/** Hono's own `app.fetch`. */
import { echoHono, helloHono } from "./hono-apps.ts";

export const hello = () => helloHono().fetch;
export const echo = () => echoHono().fetch;
