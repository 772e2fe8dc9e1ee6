/** The JSONStore on the local Node server, storing its document in a file (`JSONSTORE_FILE`). */
import { serve } from "tsgi/node";
import { createJsonStore } from "./app.ts";
import { fileStore } from "./file-store.ts";

const file = process.env.JSONSTORE_FILE ?? "jsonstore.json";
const server = await serve(createJsonStore({ store: fileStore(file) }), {
  port: Number(process.env.PORT ?? 8000),
  hostname: process.env.HOST ?? "127.0.0.1",
});
console.log(`JSONStore listening on ${server.url} (document in ${file})`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void server.close().then(() => process.exit(0)));
