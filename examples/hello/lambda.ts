/**
 * The hello example on AWS Lambda: `handler` behind an HTTP API, `streaming` behind a Function URL in
 * RESPONSE_STREAM mode (examples/template.yaml). Built to build/examples/hello/lambda/ by
 * `npm run build`. It imports tsgi/aws-lambda/http-api, whose bundle carries only those two front
 * doors (payload format 2.0); an app behind a REST API, an ALB, VPC Lattice or CloudFront imports
 * tsgi/aws-lambda.
 */
import { createHandler, createStreamingHandler } from "tsgi/aws-lambda/http-api";
import { app } from "./app.ts";

export const handler = createHandler(app);
export const streaming = createStreamingHandler(app);
