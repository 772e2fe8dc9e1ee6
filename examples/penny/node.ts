/** Penny on the local Node server, over node:sqlite seeded from penny.sql. */
import { readFileSync } from "node:fs";
import { serve } from "tsgi/node";
import { createPenny } from "./app.ts";
import { openSqlite } from "./sqlite.ts";

const db = openSqlite(readFileSync(new URL("penny.sql", import.meta.url), "utf8"));
const server = await serve(createPenny({ db }), {
  port: Number(process.env.PORT ?? 8000),
  hostname: process.env.HOST ?? "127.0.0.1",
});
console.log(`Penny listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void server.close().then(() => process.exit(0)));
