/** Serves the Hono example on the local Node server through tsgi: `npm run start:hono`. */
import { fromFetch } from "tsgi/fetch";
import { serve } from "tsgi/node";
import { app } from "./app.ts";

const port = Number(process.env.PORT ?? 8000);
const server = await serve(fromFetch(app.fetch), { port, hostname: process.env.HOST ?? "127.0.0.1" });
console.log(`tsgi hono example listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
