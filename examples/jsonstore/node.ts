/** The JSONStore on the local Node server, storing its document in a file (`JSONSTORE_FILE`). */
import { serveExample } from "../shared/node-server.ts";
import { createJsonStore } from "./app.ts";
import { fileStore } from "./file-store.ts";

const file = process.env.JSONSTORE_FILE ?? "jsonstore.json";
await serveExample(
  createJsonStore({ store: fileStore(file) }),
  (url) => `JSONStore listening on ${url} (document in ${file})`,
);
