/**
 * The few workerd modules the workerd tests import, typed by hand: @cloudflare/workers-types would
 * replace the Node globals the rest of the project is typed with.
 */
declare module "cloudflare:workers" {
  /** The conformance Worker's handlers, called through workerd as a client would. */
  export const exports: {
    default: {
      fetch(request: Request): Promise<Response>;
    };
  };
}
