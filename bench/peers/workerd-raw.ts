/** A hand-written Worker: the floor. The Fetch handlers of fetch-raw.ts as a module export. */
import { echo as echoHandler, hello as helloHandler } from "./fetch-raw.ts";

export const hello = () => ({ fetch: helloHandler() });
export const echo = () => ({ fetch: echoHandler() });
