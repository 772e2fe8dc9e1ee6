/**
 * The conformance table inside workerd: each request goes through `exports.default.fetch()` to the
 * conformance Worker (tsgi/cloudflare), so Request, Headers, Response and streams are workerd's own.
 */
import { exports } from "cloudflare:workers";
import { fromFetchResponse, toFetchRequest } from "../conformance/fetch-client.ts";
import { runConformance } from "../conformance/run.ts";
import type { Driver } from "../conformance/types.ts";
import { errorLog } from "../support/error-log.ts";

// The Worker runs in this isolate, so its tsgi.errors lines (console.error) can be collected here.
const log = errorLog();
const consoleError = console.error;

const driver: Driver = {
  name: "workerd",
  // Missing: what a Fetch Request cannot hold (see wrangler.test.ts), and the wire-level ones.
  // Not "extension-methods": workerd's Request refuses a method outside its list ("Invalid HTTP method string").
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
    "strict-host",
    "reserved-event-paths",
  ]),
  addedHeaders: ["cf-connecting-ip"],
  async setup() {
    console.error = (...args: unknown[]) => log.line(args.map(String).join(" "));
  },
  async teardown() {
    console.error = consoleError;
  },
  async invoke(_app, request) {
    // The Cloudflare edge sets CF-Connecting-IP to the client's address.
    const fetchRequest = toFetchRequest(request, {
      headerText: "utf8",
      extraHeaders: [["CF-Connecting-IP", "127.0.0.1"]],
    });
    const response = await exports.default.fetch(fetchRequest);
    return fromFetchResponse(response);
  },
  takeErrors: () => log.take(),
};

runConformance(driver);
