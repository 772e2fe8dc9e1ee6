/** Hono on Lambda: `handle` from hono/aws-lambda. */
import { handle } from "hono/aws-lambda";
import { echoHono, helloHono } from "./hono-apps.ts";
import type { LambdaHandlerLike } from "./types.ts";

export const hello = (): LambdaHandlerLike => handle(helloHono()) as LambdaHandlerLike;
export const echo = (): LambdaHandlerLike => handle(echoHono()) as LambdaHandlerLike;
