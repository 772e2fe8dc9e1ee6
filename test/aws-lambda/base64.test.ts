/** The base64 check (isBase64Text) a body marked isBase64Encoded must pass (adapters/aws-lambda/request.ts). */
import { describe, expect, it } from "vitest";
import { createHandler } from "../../adapters/aws-lambda.ts";
import { isBase64Text } from "../../adapters/aws-lambda/request.ts";
import type { App } from "../../core/index.ts";
import { fromResult, toHttpApiEvent } from "../../scripts/lambda-events.ts";
import { seededRandom } from "../support/random.ts";

// The grammar the check stands for, as a regular expression: fine for short text only.
const GRAMMAR = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

const check = (text: string) => isBase64Text(text, Buffer.from(text, "base64").byteLength);

describe("isBase64Text", () => {
  it.each([
    ["", true],
    ["QQ==", true],
    ["QUI=", true],
    ["QUJD", true],
    ["QQ", true],
    ["QUI", true],
    ["Q", false],
    ["Q===", false],
    ["QQ=", false],
    ["QUJD=", false],
    ["QU JD", false],
    ["QU-_", false],
    ["=QQ=", false],
    ["QQ==QQ==", false],
    ["Q\u00e9JD", false],
    ["QU\nJD", false],
  ])("%j: %s", (text, want) => expect(check(text)).toBe(want));

  it("agrees with the grammar on 20,000 seeded short strings", () => {
    const next = seededRandom(0xba5e);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\u00e9.";
    for (let i = 0; i < 20_000; i++) {
      let text = "";
      const length = Math.floor(next() * 12);
      // Mostly base64 characters, sometimes padding or a stray one.
      for (let j = 0; j < length; j++) {
        const r = next();
        text += r < 0.85 ? alphabet[Math.floor(next() * 64)] : alphabet[64 + Math.floor(next() * 8)];
      }
      expect(check(text), JSON.stringify(text)).toBe(GRAMMAR.test(text));
    }
  });
});

describe("a large base64 body", () => {
  it("a 5 MB binary body (Lambda takes 6 MB) is decoded, not a stack overflow", async () => {
    const bytes = Uint8Array.from({ length: 5 * 1024 * 1024 }, (_, i) => (i * 7) & 0xff);
    let received = -1;
    const app: App = async (environ, startResponse) => {
      received = (await environ["tsgi.input"].read()).byteLength;
      startResponse("204 No Content", []);
      return [];
    };
    const event = toHttpApiEvent({
      method: "POST",
      target: "/upload",
      headers: [
        ["Host", "example.com"],
        ["Content-Type", "application/octet-stream"],
        ["Content-Length", String(bytes.byteLength)],
      ],
      body: bytes,
    });
    const result = fromResult(await createHandler(app)(event, { awsRequestId: "big" }), "POST");
    expect(result.status).toBe(204);
    expect(received).toBe(bytes.byteLength);
  });
});
