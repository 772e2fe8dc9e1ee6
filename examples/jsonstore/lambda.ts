/**
 * The JSONStore on AWS Lambda, with the document in memory: each execution environment (instance)
 * has its own copy, kept while it stays warm and lost when it is recycled; instances never share it.
 * That is enough to try the API; a real deployment would put a DocumentStore over DynamoDB or S3
 * (conditional writes) behind the same interface, with no change to app.ts.
 */
import { createHandler, createStreamingHandler } from "tsgi/aws-lambda";
import { createJsonStore } from "./app.ts";
import { memoryStore } from "./store.ts";

const app = createJsonStore({ store: memoryStore() });
export const handler = createHandler(app);
export const streaming = createStreamingHandler(app);
