/** Serves the hello example on the local Node server: `npm start`. */
import { serve } from "tsgi/node";
import { app } from "./app.ts";

const port = Number(process.env.PORT ?? 8000);
const server = await serve(app, { port, hostname: process.env.HOST ?? "127.0.0.1" });
console.log(`tsgi hello example listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
