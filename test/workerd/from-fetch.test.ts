/**
 * The conformance table inside workerd through a Worker made of a Worker: `createWorker(fromFetch(
 * inner.fetch))`, where `inner` is the conformance Worker. fromFetch hands the inner Worker workerd's
 * `env` and `ctx` as its second and third arguments, so this is also how a Hono or itty-router Worker
 * runs behind tsgi on Workers. Same capabilities as the plain workerd driver.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createWorker } from "../../adapters/cloudflare.ts";
import { fromFetch } from "../../adapters/fetch.ts";
import { runConformance } from "../conformance/run.ts";
import inner from "./conformance-worker.ts";
import { workerdDriver } from "./driver.ts";

const outer = createWorker(fromFetch(inner.fetch));

runConformance(
  workerdDriver("workerd, createWorker(fromFetch(worker.fetch))", (request) =>
    outer.fetch(request, env, createExecutionContext()),
  ),
);
