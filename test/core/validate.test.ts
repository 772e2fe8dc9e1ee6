import { describe, expect, it } from "vitest";
import {
  type App,
  type Environ,
  type StartResponse,
  ValidationError,
  buildEnviron,
  runApp,
  validate,
} from "../../core/index.ts";
import { apps } from "../conformance/apps.ts";
import { enc, makeInfo, recordingSink } from "./helpers.ts";

async function runValidated(app: App, overrides = {}) {
  const info = makeInfo(overrides);
  const sink = recordingSink();
  await runApp(validate(app), buildEnviron(info), sink);
  return { log: info.logged(), sink: sink.recorded };
}

const ok =
  (body: Uint8Array[] = [enc("ok")]): App =>
  (_e, start) => {
    start("200 OK", [["Content-Type", "text/plain"]]);
    return body;
  };

describe("validate rejects bad apps, naming the rule", () => {
  it.each([
    ["bad-status", "17"],
    ["header-injection", "18"],
    ["wide-header", "18"],
    ["bad-header-name", "18"],
    ["hop-by-hop", "19"],
    ["app-chunked", "19"],
    ["second-start", "21"],
    ["string-chunk", "Uni"],
    ["never-starts", "20"],
    ["over-length", "25"],
    ["under-length", "25"],
  ])("%s -> rule %s", async (name, rule) => {
    const { log } = await runValidated(apps[name]!);
    expect(log).toContain(`[rule ${rule}]`);
  });
  it.each([
    ["a body on HEAD", ok(), { method: "HEAD" }, "27"],
    ["a body on 204", ((_e, s) => (s("204 No Content", []), [enc("x")])) as App, {}, "27"],
    ["an app that never calls startResponse and yields nothing", (() => []) as App, {}, "30"],
    [
      "a string returned as body",
      ((_e: Environ, s: StartResponse) => (s("200 OK", []), "text")) as unknown as App,
      {},
      "SD",
    ],
    ["a Status header", ((_e, s) => (s("200 OK", [["Status", "200"]]), [])) as App, {}, "18"],
    [
      "two Content-Length headers",
      ((_e, s) => (
        s("200 OK", [
          ["Content-Length", "1"],
          ["Content-Length", "1"],
        ]),
        [enc("x")]
      )) as App,
      {},
      "18",
    ],
    ["a non-string header value", ((_e, s) => (s("200 OK", [["X-N", 5 as never]]), [])) as App, {}, "18"],
    ["a tuple of three", ((_e, s) => (s("200 OK", [["X", "y", "z"] as never]), [])) as App, {}, "18"],
    ["write() with a string", (async (_e, s) => (await s("200 OK", [])("x" as never), [])) as App, {}, "22"],
    [
      "tsgi.errors.write with bytes",
      ((e: Environ, s) => (e["tsgi.errors"].write(enc("x") as never), s("200 OK", []), [])) as App,
      {},
      "15",
    ],
    [
      "tsgi.input.read with a string",
      (async (e: Environ, s) => (await e["tsgi.input"].read("5" as never), s("200 OK", []), [])) as App,
      {},
      "14",
    ],
  ] as Array<[string, App, object, string]>)("%s -> rule %s", async (_name, app, overrides, rule) => {
    const { log } = await runValidated(app, overrides);
    expect(log).toContain(`[rule ${rule}]`);
  });
});

describe("validate checks the gateway's environ", () => {
  const base = () => buildEnviron(makeInfo());
  it.each([
    ["a number in a CGI key", (e: Environ) => (e.SERVER_PORT = 80 as never), "2"],
    ["an empty SERVER_NAME", (e: Environ) => (e.SERVER_NAME = ""), "2"],
    ["a missing QUERY_STRING", (e: Environ) => delete (e as Partial<Environ>).QUERY_STRING, "3"],
    ["undefined in a CGI key", (e: Environ) => (e.HTTP_X = undefined), "3"],
    ["a wide code unit", (e: Environ) => (e.PATH_INFO = "/\u2603"), "4"],
    ["SCRIPT_NAME of /", (e: Environ) => (e.SCRIPT_NAME = "/"), "5"],
    ["PATH_INFO without /", (e: Environ) => (e.PATH_INFO = "x"), "5"],
    ["HTTP_CONTENT_TYPE", (e: Environ) => (e.HTTP_CONTENT_TYPE = "x"), "8"],
    ["a bad CONTENT_LENGTH", (e: Environ) => (e.CONTENT_LENGTH = "-1"), "8"],
    ["an unfrozen version", (e: Environ) => (e["tsgi.version"] = [1, 0] as never), "11"],
    ["a bad url_scheme", (e: Environ) => (e["tsgi.url_scheme"] = "ftp" as never), "11"],
    ["an upper-case extension key", (e: Environ) => (e["Node.x"] = 1), "11"],
    ["a non-boolean flag", (e: Environ) => (e["tsgi.run_once"] = 0 as never), "11"],
  ])("%s -> rule %s", async (_name, spoil, rule) => {
    const environ = base();
    spoil(environ);
    await expect(Promise.resolve(validate(ok())(environ, () => async () => {}))).rejects.toThrow(
      `[rule ${rule}]`,
    );
  });
  it("lets a good app and a good gateway through", async () => {
    const { log, sink } = await runValidated(ok());
    expect(log).toBe("");
    expect(sink.text()).toBe("ok");
  });
  it("lets excInfo replace the response before headers are sent", async () => {
    const { log, sink } = await runValidated(apps["excinfo-before"]!);
    expect(log).toBe("");
    expect(sink.head?.status).toBe(503);
  });
  it("detects a gateway that does not rethrow excInfo after the headers", async () => {
    const environ = base();
    const lax = () => async () => {};
    const app: App = async (_e, start) => {
      await start("200 OK", [])(enc("x"));
      start("500 Oops", [], new Error("late"));
      return [];
    };
    await expect(Promise.resolve(validate(app)(environ, lax))).rejects.toThrow(ValidationError);
  });
});
