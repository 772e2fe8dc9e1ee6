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
import { fromFetchResponse, toFetchRequest } from "../conformance/fetch-client.ts";
import { runConformance } from "../conformance/run.ts";
import type { Driver } from "../conformance/types.ts";
import { errorLog } from "../support/error-log.ts";
import inner from "./conformance-worker.ts";

const log = errorLog();
const consoleError = console.error;
const outer = createWorker(fromFetch(inner.fetch));

const driver: Driver = {
  name: "workerd, createWorker(fromFetch(worker.fetch))",
  capabilities: new Set([
    "header-names",
    "raw-host",
    "raw-target",
    "encoded-path",
    "raw-query",
    "repeated-header-values",
    "set-cookie-list",
    "chunked-request",
    "abort",
  ]),
  addedHeaders: ["cf-connecting-ip"],
  async setup() {
    console.error = (...args: unknown[]) => log.line(args.map(String).join(" "));
  },
  async teardown() {
    console.error = consoleError;
  },
  async invoke(_app, request) {
    const fetchRequest = toFetchRequest(request, {
      headerText: "utf8",
      extraHeaders: [["CF-Connecting-IP", "127.0.0.1"]],
    });
    return fromFetchResponse(await outer.fetch(fetchRequest, env, createExecutionContext()));
  },
  takeErrors: () => log.take(),
};

runConformance(driver);
