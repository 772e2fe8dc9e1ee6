/**
 * The environ of an app on Lambda: the core keys and the `aws.*` keys, told apart by
 * `aws.event_kind`, each with the event type of its front door (minimal structural types: the
 * official `@types/aws-lambda` ones are assignable to them, and nothing of theirs leaks in).
 * @module
 */
import type { Environ } from "../../core/gateway.ts";
import type {
  AlbEvent,
  ApiGatewayV1Context,
  ApiGatewayV1Event,
  ApiGatewayV2Context,
  ApiGatewayV2Event,
  AwsAuthorizer,
  JsonObject,
  LambdaContext,
  VpcLatticeEvent,
} from "./types.ts";

/** The keys every Lambda invocation sets. */
interface LambdaKeys {
  "aws.context": LambdaContext;
  "aws.request_id"?: string;
  "aws.authorizer"?: AwsAuthorizer;
}

/** One front door: its `aws.event_kind`, its event and its request context. */
type Door<Kind extends string, Event, Context> = LambdaKeys & {
  "aws.event_kind": Kind;
  "aws.event": Event;
  "aws.request_context"?: Context;
};

/**
 * The environ on Lambda: narrow it on `aws.event_kind` to get the event type of that front door.
 * `event` is a non-HTTP event (SQS, S3, EventBridge...) delivered to `eventPath`.
 *
 * @example
 * ```ts
 * const app: App<LambdaEnviron> = (environ, startResponse) => {
 *   if (environ["aws.event_kind"] === "alb") console.log(environ["aws.event"].requestContext.elb);
 *   ...
 * };
 * export const handler = createHandler(app);
 * ```
 */
export type LambdaEnviron = Environ &
  (
    | Door<"api-gateway-v1", ApiGatewayV1Event, ApiGatewayV1Context>
    | Door<"api-gateway-v2" | "function-url", ApiGatewayV2Event, ApiGatewayV2Context>
    | Door<"alb" | "alb-multi-value", AlbEvent, AlbEvent["requestContext"]>
    | Door<"vpc-lattice", VpcLatticeEvent, JsonObject>
    | Door<"event", JsonObject, JsonObject>
  );
