/** GatewayRequest fields for requests a front door already checked (Lambda events): Host and header text. */
import { describe, expect, it } from "vitest";
import { BadRequestError, buildEnviron } from "../../core/index.ts";
import { makeInfo } from "./helpers.ts";

describe("hostChecked", () => {
  it("an HTTP/1.1 request without Host is refused unless the front door checked it", () => {
    expect(() => buildEnviron(makeInfo({ headers: [] }))).toThrow(BadRequestError);
    const environ = buildEnviron(makeInfo({ headers: [], hostChecked: true, serverName: "api.example.com" }));
    expect(environ.HTTP_HOST).toBeUndefined();
    expect(environ.SERVER_NAME).toBe("api.example.com");
  });
});

describe("headerValuesText", () => {
  it.each([
    ["caf\u00e9", false, "caf\u00e9"],
    ["caf\u00e9", true, "caf\u00c3\u00a9"],
    ["caf\u00e9 \u2603", false, "caf\u00c3\u00a9 \u00e2\u0098\u0083"],
    ["caf\u00e9 \u2603", true, "caf\u00c3\u00a9 \u00e2\u0098\u0083"],
    ["plain", true, "plain"],
  ])("%j (text %s) gives %j", (value, text, want) => {
    const environ = buildEnviron(
      makeInfo({
        headers: [
          ["Host", "h"],
          ["X-Text", value],
        ],
        headerValuesText: text,
      }),
    );
    expect(environ.HTTP_X_TEXT).toBe(want);
  });
});
