/**
 * The adapters' one door into the core: the public API of `tsgi`, and the few internals a gateway
 * needs on its request path. Not a package export; apps import `tsgi`.
 * @module
 */
export * from "./index.ts";
export { startRequest } from "./serve.ts";
export type { WholeBody } from "./input.ts";
export { gatewayAnswer, type GatewayAnswer, type GatewayAnswerOptions } from "./answer.ts";
