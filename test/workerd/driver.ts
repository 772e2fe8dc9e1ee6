/**
 * The conformance driver inside workerd: requests built as the Cloudflare edge hands them over
 * (header bytes decoded as UTF-8, CF-Connecting-IP set), sent to a Worker's `fetch` in this isolate,
 * so Request, Headers, Response and streams are workerd's own; the Worker's tsgi.errors lines
 * (console.error) are collected here.
 * @module
 */
import { fromFetchResponse, toFetchRequest } from "../conformance/fetch-client.ts";
import type { Capability, Driver } from "../conformance/types.ts";
import { errorLog } from "../support/error-log.ts";

/**
 * What workerd carries. Missing: what a Fetch Request cannot hold (see wrangler.test.ts), the
 * wire-level ones, and "extension-methods": workerd's Request refuses a method outside its list
 * ("Invalid HTTP method string").
 */
export const WORKERD_CAPABILITIES: readonly Capability[] = [
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
];

/**
 * A driver that sends each request to `fetch` (a Worker's handler, bound to its env and ctx).
 *
 * @example
 * ```ts
 * runConformance(workerdDriver("workerd", (request) => exports.default.fetch(request)));
 * ```
 */
export function workerdDriver(name: string, fetch: (request: Request) => Promise<Response>): Driver {
  const log = errorLog();
  const consoleError = console.error;
  return {
    name,
    capabilities: new Set(WORKERD_CAPABILITIES),
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
      return fromFetchResponse(await fetch(fetchRequest));
    },
    takeErrors: () => log.take(),
  };
}
