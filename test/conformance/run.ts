/**
 * Runs the whole conformance table through one driver. Each platform's test file is a few lines:
 * `runConformance(myDriver)`.
 * @module
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_HEADER } from "./apps.ts";
import { cases } from "./cases.ts";
import type { Case, Driver, Echo, TestResponse } from "./types.ts";

const decoder = new TextDecoder();

/** Checks one response against a case; exported for drivers that run cases outside vitest's `it`. */
export function checkCase(
  c: Case,
  response: TestResponse,
  errors: string | undefined,
  driver?: Driver,
): void {
  const e = c.expect;
  const bodyText = decoder.decode(response.body);
  if (e.status !== undefined)
    expect(response.status, `status; body: ${bodyText.slice(0, 200)}`).toBe(e.status);
  if (e.aborted !== undefined) expect(response.aborted, "aborted").toBe(e.aborted);
  if (e.body !== undefined) {
    const want = typeof e.body === "string" ? new TextEncoder().encode(e.body) : e.body;
    expect(Buffer.from(response.body).toString("hex")).toBe(Buffer.from(want).toString("hex"));
  }
  if (e.bodyExcludes !== undefined) expect(bodyText).not.toContain(e.bodyExcludes);
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const values = response.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
    if (want === null) expect(values, `header ${name}`).toEqual([]);
    else if (name === "set-cookie") expect(values, "set-cookie").toEqual(Array.isArray(want) ? want : [want]);
    // Other repeated fields may be folded into one (RFC 9110 5.3): compare them joined.
    else expect(values.join(", "), `header ${name}`).toBe(Array.isArray(want) ? want.join(", ") : want);
  }
  let echo: Echo | undefined;
  if ((c.app ?? "echo") === "echo" && response.status === 200) {
    echo = JSON.parse(bodyText) as Echo;
    for (const [key, want] of Object.entries(e.environ ?? {})) {
      if (want === null) expect(echo.keys, `environ must not hold ${key}`).not.toContain(key);
      else expect(echo.environ[key], `environ ${key}`).toBe(want);
    }
    if (e.environExact) {
      const added = new Set(
        (driver?.addedHeaders ?? []).map((name) => `HTTP_${name.toUpperCase().replaceAll("-", "_")}`),
      );
      const core = Object.fromEntries(
        Object.entries(echo.environ).filter(
          ([k]) =>
            !k.includes(".") && k !== "REMOTE_PORT" && !added.has(k) && !driver?.environExtra?.includes(k),
        ),
      );
      expect(core).toEqual(e.environExact);
    }
  }
  if (e.errors && errors !== undefined) expect(errors).toMatch(e.errors);
  e.check?.(response, echo, driver);
}

/**
 * Registers one vitest test per case for `driver`. Cases needing a capability the driver lacks are
 * registered as skipped, with the missing capability in their title.
 *
 * @example
 * ```ts
 * runConformance(nodeDriver());
 * ```
 */
export function runConformance(driver: Driver, only: (c: Case) => boolean = () => true): void {
  describe(`conformance: ${driver.name}`, () => {
    beforeAll(async () => {
      await driver.setup?.();
    });
    afterAll(async () => {
      await driver.teardown?.();
    });
    for (const c of cases.filter(only)) {
      const missing = (c.requires ?? []).filter((cap) => !driver.capabilities.has(cap));
      const title = `[rule ${c.rule}] ${c.name}`;
      if (missing.length) {
        it.skip(`${title} (skipped: ${driver.name} cannot carry ${missing.join(", ")})`, () => {});
        continue;
      }
      it(title, async () => {
        for (let i = 0; i < (c.repeat ?? 1); i++) {
          await driver.takeErrors?.();
          const request = {
            ...c.request,
            headers: [...c.request.headers, [APP_HEADER, c.app ?? "echo"] as [string, string]],
          };
          const response = await driver.invoke(c.app ?? "echo", request);
          const errors = await driver.takeErrors?.();
          checkCase(c, response, errors, driver);
        }
      });
    }
  });
}
