/**
 * Penny on AWS Lambda: node:sqlite in memory, created from penny.sql (bundled as text by
 * esbuild.config.mjs) once per execution environment. The data is read-only, so every instance
 * holds the same books.
 */
import { createHandler, createStreamingHandler } from "tsgi/aws-lambda";
import { createPenny } from "./app.ts";
import seed from "./penny.sql";
import { openSqlite } from "./sqlite.ts";

const app = createPenny({ db: openSqlite(seed) });
export const handler = createHandler(app);
export const streaming = createStreamingHandler(app);
