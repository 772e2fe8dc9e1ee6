/** Serves the hello example on the local Node server: `npm start`. */
import { serveExample } from "../shared/node-server.ts";
import { app } from "./app.ts";

await serveExample(app, (url) => `tsgi hello example listening on ${url}`);
