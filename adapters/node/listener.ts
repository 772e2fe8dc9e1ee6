/**
 * `createListener`: a node:http request listener that runs a tsgi app.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createWaitUntil, startRequest } from "../../core/gateway.ts";
import type { App } from "../../core/gateway.ts";
import { createResponseSink, nodeErrorStream, toGatewayRequest } from "./mapping.ts";
import type { NodeEnviron, NodeListener, NodeOptions } from "./types.ts";

/** What the listener returns for a response sent at once, so that the server need not wait on it. */
export const SETTLED: Promise<void> = Promise.resolve();

/**
 * A `(req, res)` listener for node:http (or any server built on it) that runs `app`.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * createServer(createListener(app)).listen(8000);
 * ```
 */
export function createListener(app: App<NodeEnviron>, options: NodeOptions = {}): NodeListener {
  const errors = options.errors ?? nodeErrorStream();
  const tasks = createWaitUntil((error) =>
    errors.write(`tsgi: a tsgi.wait_until task failed: ${String(error)}\n`),
  );
  const listener = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    startRequest(
      // toGatewayRequest sets node.request.
      app as App,
      toGatewayRequest(req, res, options, errors, tasks.waitUntil),
      createResponseSink(req, res, errors),
    ) ?? SETTLED;
  return Object.assign(listener, { settle: tasks.settle });
}
