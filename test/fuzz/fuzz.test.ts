/**
 * A short seeded run of the raw-HTTP fuzzer (test/fuzz/harness.ts) in every `npm test`; the long
 * one is `npm run fuzz` (20,000 cases).
 */
import { expect, it } from "vitest";
import { runFuzz } from "./harness.ts";

it("fuzzed raw requests: answered where Node answers, logged, unmixed, each body closed once", async () => {
  const report = await runFuzz({ seed: 11, count: 600, concurrency: 12 });
  expect(report.failures.slice(0, 5)).toEqual([]);
  expect(report.silentCloses).toBe(0);
  expect(report.crashes).toBe(0);
  expect(report.unhandledRejections).toBe(0);
  expect(report.loggedRefusals).toBe(report.refusals);
  expect(report.closedOnce).toBe(report.bodies);
  // The seed reaches the interesting paths: refusals of several kinds and bodies served.
  expect(report.refusals).toBeGreaterThan(100);
  expect(Object.keys(report.statuses)).toEqual(expect.arrayContaining(["200", "400", "417", "501"]));
}, 60_000);
