/** Penny on the local Node server, over node:sqlite seeded from penny.sql. */
import { readFileSync } from "node:fs";
import { serveExample } from "../shared/node-server.ts";
import { createPenny } from "./app.ts";
import { openSqlite } from "./sqlite.ts";

const db = openSqlite(readFileSync(new URL("penny.sql", import.meta.url), "utf8"));
await serveExample(createPenny({ db }), (url) => `Penny listening on ${url}`);
