/** tsgi on Fetch: `createFetchHandler` from tsgi/fetch. */
import { createFetchHandler } from "../../adapters/fetch.ts";
import { echoApp, helloApp } from "./tsgi-apps.ts";

export const hello = () => createFetchHandler(helloApp);
export const echo = () => createFetchHandler(echoApp);
