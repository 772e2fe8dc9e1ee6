/** tsgi on Lambda: `createHandler` from tsgi/aws-lambda. */
import { createHandler } from "../../adapters/aws-lambda.ts";
import { echoApp, helloApp } from "./tsgi-apps.ts";
import type { LambdaHandlerLike } from "./types.ts";

export const hello = (): LambdaHandlerLike => createHandler(helloApp);
export const echo = (): LambdaHandlerLike => createHandler(echoApp);
