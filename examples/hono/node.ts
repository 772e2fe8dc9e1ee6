/** Serves the Hono example on the local Node server through tsgi: `npm run start:hono`. */
import { fromFetch } from "tsgi/fetch";
import { serveExample } from "../shared/node-server.ts";
import { app } from "./app.ts";

await serveExample(fromFetch(app.fetch), (url) => `tsgi hono example listening on ${url}`);
