/** tsgi on Workers: `createWorker` from tsgi/cloudflare. */
import { createWorker } from "../../adapters/cloudflare.ts";
import { echoApp, helloApp } from "./tsgi-apps.ts";

export const hello = () => createWorker(helloApp);
export const echo = () => createWorker(echoApp);
