/**
 * The Hono example on AWS Lambda through tsgi: `handler` behind an HTTP API, a REST API or an ALB
 * (every Set-Cookie kept, binary bodies byte-exact), `streaming` behind a Function URL in
 * RESPONSE_STREAM mode. Hono's `c.env` holds `{ event, requestContext, lambdaContext }`, as with
 * its own adapter.
 */
import { createHandler, createStreamingHandler } from "tsgi/aws-lambda";
import { fromFetch } from "tsgi/fetch";
import { app } from "./app.ts";

export const handler = createHandler(fromFetch(app.fetch));
export const streaming = createStreamingHandler(fromFetch(app.fetch));
