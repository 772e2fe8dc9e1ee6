/**
 * The few workerd modules the workerd tests import, typed by hand: @cloudflare/workers-types would
 * replace the Node globals the rest of the project is typed with.
 */
declare module "cloudflare:workers" {
  /** The bindings of test/workerd/wrangler.jsonc (none). */
  export const env: Record<string, unknown>;
  /** The conformance Worker's handlers, called through workerd as a client would. */
  export const exports: {
    default: {
      fetch(request: Request): Promise<Response>;
    };
  };
}

declare module "cloudflare:test" {
  import type {
    ExecutionContextLike,
    MessageBatchLike,
    ScheduledControllerLike,
  } from "../../adapters/cloudflare.ts";

  export function createExecutionContext(): ExecutionContextLike;
  export function waitOnExecutionContext(ctx: ExecutionContextLike): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: Date | number;
    cron?: string;
  }): ScheduledControllerLike;
  export function createMessageBatch(
    queueName: string,
    messages: Array<{ id: string; timestamp: Date | number; attempts: number; body: unknown }>,
  ): MessageBatchLike;
  export function getQueueResult(
    batch: MessageBatchLike,
    ctx: ExecutionContextLike,
  ): Promise<{ outcome: string; retryBatch: { retry: boolean }; explicitAcks: string[] }>;
}
