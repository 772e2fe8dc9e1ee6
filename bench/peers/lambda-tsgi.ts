/**
 * tsgi on Lambda: `createHandler` from tsgi/aws-lambda (every front door), and from
 * tsgi/aws-lambda/http-api (HTTP APIs and Function URLs only, as the hello example deploys) for the
 * cold-start bundle.
 */
import { createHandler } from "../../adapters/aws-lambda.ts";
import { createHandler as createHttpApiHandler } from "../../adapters/aws-lambda/http-api.ts";
import { echoApp, helloApp } from "./tsgi-apps.ts";
import type { LambdaHandlerLike } from "./types.ts";

export const hello = (): LambdaHandlerLike => createHandler(helloApp);
export const echo = (): LambdaHandlerLike => createHandler(echoApp);
export const helloHttpApi = (): LambdaHandlerLike => createHttpApiHandler(helloApp);
