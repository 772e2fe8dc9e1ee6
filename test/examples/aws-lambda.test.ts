/**
 * The examples' user stories through each example's Lambda entry (lambda.ts, what the Lambda bundle
 * exports), as an API Gateway HTTP API (payload 2.0) and a REST API (payload 1.0) would invoke it;
 * hello, built from tsgi/aws-lambda/http-api, as an HTTP API and a Function URL (what
 * examples/template.yaml deploys it behind). The streaming handler runs over HTTP in dev-lambda.test.ts.
 */
import { beforeAll, describe, it } from "vitest";
import type { LambdaHandler } from "../../adapters/aws-lambda.ts";
import { fromResult, toFunctionUrlEvent, toHttpApiEvent, toRestEvent } from "../../scripts/lambda-events.ts";
import { installLocalRuntime } from "../../scripts/lambda-runtime.ts";
import type { TestRequest } from "../conformance/types.ts";
import {
  type Step,
  checkStep,
  helloStories,
  honoStories,
  jsonStoreStories,
  pennyStories,
} from "./stories.ts";

const handlers: Record<string, LambdaHandler> = {};
beforeAll(async () => {
  // Each entry also creates its streaming handler at load, which needs Lambda's `awslambda` global.
  installLocalRuntime();
  for (const example of ["hello", "jsonstore", "penny", "hono"])
    handlers[example] = (
      (await import(`../../examples/${example}/lambda.ts`)) as { handler: LambdaHandler }
    ).handler;
});

type FrontDoors = Array<[string, (request: TestRequest) => unknown]>;
const FRONT_DOORS: FrontDoors = [
  ["HTTP API (payload 2.0)", toHttpApiEvent],
  ["REST API (payload 1.0)", toRestEvent],
];
const PAYLOAD_2_DOORS: FrontDoors = [
  ["HTTP API (payload 2.0)", toHttpApiEvent],
  ["Function URL", toFunctionUrlEvent],
];

function runStories(example: string, stories: Step[], doors = FRONT_DOORS) {
  for (const [front, toEvent] of doors) {
    // The JSONStore's document lives in the module (per instance): each run ends with it deleted.
    describe(`${example} on aws-lambda, ${front}`, () => {
      for (const step of stories) {
        it(step.name, async () => {
          const context = { awsRequestId: "stories", functionName: `tsgi-${example}` };
          const result = await handlers[example]!(toEvent(step.request), context);
          checkStep(step, fromResult(result, step.request.method));
        });
      }
    });
  }
}

runStories("hello", helloStories, PAYLOAD_2_DOORS);
runStories("jsonstore", jsonStoreStories);
runStories("penny", pennyStories);
runStories("hono", honoStories);
