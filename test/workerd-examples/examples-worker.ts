/** The examples' Durable Object class, exported where the test bindings look for it. */
export { JsonStoreObject } from "../../examples/jsonstore/worker.ts";

export default {
  fetch: (): Response => new Response("the tests call the example Workers directly\n", { status: 404 }),
};
