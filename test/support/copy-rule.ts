/**
 * The copy rule of a whole response body on a Fetch runtime (rule 23: apps may reuse their
 * buffers). The Fetch sink leaves the copy to the runtime's `Response`, which copies a BufferSource
 * as the Fetch standard says; these tests fail if a runtime ever stops doing so. Registered by the
 * Node (undici) and the workerd test files.
 * @module
 */
import { describe, expect, it } from "vitest";
import { createFetchHandler } from "../../adapters/fetch.ts";
import type { App } from "../../core/index.ts";

const text = (s: string) => new TextEncoder().encode(s);

/**
 * Registers the copy-rule tests for the runtime the file runs in.
 *
 * @example
 * ```ts
 * copyRuleTests("workerd");
 * ```
 */
export function copyRuleTests(runtime: string): void {
  describe(`whole bodies on ${runtime}`, () => {
    it(`${runtime}'s Response copies a Uint8Array body (the sink relies on it)`, async () => {
      const bytes = text("original");
      const response = new Response(bytes.subarray(0, 8));
      bytes.set(text("MUTATED!"));
      expect(await response.text()).toBe("original");
    });

    it("an app that reuses its buffer once the Response is out still sends the original bytes", async () => {
      const buffer = text("hello there");
      const app: App = (_environ, startResponse) => {
        startResponse("200 OK", [["Content-Type", "text/plain"]]);
        return [buffer];
      };
      const handler = createFetchHandler(app);
      const response = await handler(
        new Request("https://example.com/", { headers: { host: "example.com" } }),
      );
      buffer.fill(0x2a);
      expect(await response.text()).toBe("hello there");
    });
  });
}
