import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const WORKERD_TESTS = "test/workerd/**/*.test.ts";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // workerd reports a response stream that errors (how tsgi/fetch cuts a response off after its
    // headers) as an uncaught error of that request: those cuts are what the abort cases expect.
    onUnhandledError: (error) => !/^tsgi: the response was cut off/.test(error.message),
    projects: [
      {
        // The package's own name ("tsgi", as the examples import it) resolves to its TypeScript sources.
        // Vitest runs node tests in Vite's SSR environment, whose conditions are set apart (Vite's defaults kept).
        resolve: { conditions: ["source"] },
        ssr: {
          resolve: {
            conditions: ["source", "module", "node", "development|production"],
            externalConditions: ["source"],
          },
        },
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          exclude: [WORKERD_TESTS],
        },
      },
      {
        // The same tests inside workerd, the Workers runtime (no nodejs_compat: the adapters need none).
        plugins: [cloudflareTest({ wrangler: { configPath: "./test/workerd/wrangler.jsonc" } })],
        test: {
          name: "workerd",
          include: [WORKERD_TESTS],
        },
      },
    ],
  },
});
