import { describe, expect, it } from "vitest";
import { gatewayAnswer } from "../../core/gateway.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("gatewayAnswer: the gateway's own answers", () => {
  it.each([
    [400, "Bad Request"],
    [404, "Not Found"],
    [413, "Content Too Large"],
    [500, "Internal Server Error"],
    [502, "Bad Gateway"],
    [504, "Gateway Timeout"],
  ])("%i: a plain text with its length, no internals", (status, reason) => {
    const { head, body } = gatewayAnswer(status);
    expect(head).toEqual({
      status,
      reason,
      headers: [
        ["Content-Type", "text/plain; charset=utf-8"],
        ["Content-Length", String(body.byteLength)],
      ],
    });
    expect(text(body)).toBe(`${status} ${reason}\n`);
  });

  it("headOnly keeps the Content-Length of the text and sends no bytes", () => {
    const { head, body } = gatewayAnswer(500, { headOnly: true });
    expect(head.headers).toContainEqual(["Content-Length", String("500 Internal Server Error\n".length)]);
    expect(body.byteLength).toBe(0);
  });

  it("a detail follows the status line", () => {
    expect(text(gatewayAnswer(502, { detail: "too large" }).body)).toBe("502 Bad Gateway: too large\n");
  });

  it("a status without a reason of its own is an Error", () => {
    expect(gatewayAnswer(599).head.reason).toBe("Error");
  });

  it("empty is the bare head node:http answers a refused request with", () => {
    expect(gatewayAnswer(417, { empty: true })).toEqual({
      head: { status: 417, reason: "Expectation Failed", headers: [["Content-Length", "0"]] },
      body: new Uint8Array(0),
    });
  });
});
