/**
 * The hello example on AWS Lambda: `handler` behind an HTTP API (or a REST API, an ALB), `streaming`
 * behind a Function URL in RESPONSE_STREAM mode. Built to build/examples/hello/lambda/ by `npm run build`.
 */
import { createHandler, createStreamingHandler } from "tsgi/aws-lambda";
import { app } from "./app.ts";

export const handler = createHandler(app);
export const streaming = createStreamingHandler(app);
