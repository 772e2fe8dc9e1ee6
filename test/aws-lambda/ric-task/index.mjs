// The function the runtime client loads (LAMBDA_TASK_ROOT is this folder): the conformance apps
// behind the buffered handler (`index.handler`) and the streaming one (`index.streaming`). Node 24
// strips the types of the .ts sources it imports, so the adapter runs exactly as written.
import { createHandler, createStreamingHandler } from "../../../adapters/aws-lambda.ts";
import { dispatch } from "../../conformance/apps.ts";

const encoder = new TextEncoder();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two chunks 400 ms apart; the last says when it was produced (the test compares arrival times). */
const slow = (_environ, startResponse) => {
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["Set-Cookie", "a=1; Path=/"],
    ["Set-Cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
  ]);
  return (async function* () {
    yield encoder.encode("first\n");
    await sleep(400);
    yield encoder.encode(`last ${Date.now()}\n`);
  })();
};

const app = (environ, startResponse) =>
  environ.PATH_INFO === "/slow" ? slow(environ, startResponse) : dispatch(environ, startResponse);

export const handler = createHandler(app);
export const streaming = createStreamingHandler(app);
