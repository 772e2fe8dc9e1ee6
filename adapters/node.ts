/**
 * `tsgi/node`: serve a tsgi app with node:http.
 *
 * @example
 * ```ts
 * import { serve } from "tsgi/node";
 * const server = await serve(app, { port: 8000 });
 * console.log(server.url);
 * ```
 * @module
 */
export { createListener } from "./node/listener.ts";
export { serve } from "./node/server.ts";
export type { NodeEnviron, NodeListener, NodeOptions, ServeOptions, ServerHandle } from "./node/types.ts";
export type { ClusterHandle } from "./node/cluster.ts";
export { formatAccessLog, type AccessLog, type AccessLogEntry } from "./node/access-log.ts";
