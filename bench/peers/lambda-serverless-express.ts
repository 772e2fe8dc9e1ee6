/** @codegenie/serverless-express around a bare node:http listener. */
import { configure as serverlessExpress } from "@codegenie/serverless-express";
import { echoListener, helloListener } from "./listeners.ts";
import type { LambdaHandlerLike } from "./types.ts";

// Its handler takes a third (callback) argument, never used with async handlers.
const wrap =
  (handler: (event: unknown, context: never, callback: never) => unknown): LambdaHandlerLike =>
  async (event: unknown, context: never) =>
    handler(event, context, undefined as never);

export const hello = (): LambdaHandlerLike => wrap(serverlessExpress({ app: helloListener }));
export const echo = (): LambdaHandlerLike => wrap(serverlessExpress({ app: echoListener }));
