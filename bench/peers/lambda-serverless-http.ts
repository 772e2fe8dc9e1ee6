/** serverless-http around a bare node:http listener. */
import serverless from "serverless-http";
import { echoListener, helloListener } from "./listeners.ts";
import type { LambdaHandlerLike } from "./types.ts";

export const hello = (): LambdaHandlerLike => serverless(helloListener);
export const echo = (): LambdaHandlerLike => serverless(echoListener);
