import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { type Plugin, defineConfig } from "vitest/config";

const WORKERD_TESTS = "test/workerd/**/*.test.ts";
const WORKERD_EXAMPLE_TESTS = "test/workerd-examples/**/*.test.ts";

/** `.sql` files import as their text, as esbuild.config.mjs bundles them (`loader: { ".sql": "text" }`). */
const sqlText: Plugin = {
  name: "tsgi-sql-text",
  enforce: "pre",
  transform: (code, id) => (id.endsWith(".sql") ? `export default ${JSON.stringify(code)};` : undefined),
};

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
        plugins: [sqlText],
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          exclude: [WORKERD_TESTS, WORKERD_EXAMPLE_TESTS],
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
      {
        // The examples' Worker entries inside workerd, with their bindings (a Durable Object, D1)
        // simulated locally by Miniflare.
        plugins: [
          sqlText,
          cloudflareTest({ wrangler: { configPath: "./test/workerd-examples/wrangler.jsonc" } }),
        ],
        // The package's own name to its sources, as the examples' wrangler.jsonc aliases it: the
        // Workers pool resolves without the `source` condition (a fresh clone has no dist/).
        resolve: {
          alias: [
            { find: /^tsgi$/, replacement: fileURLToPath(new URL("core/index.ts", import.meta.url)) },
            { find: /^tsgi\/(.+)$/, replacement: fileURLToPath(new URL("adapters/$1.ts", import.meta.url)) },
          ],
        },
        test: {
          name: "workerd-examples",
          include: [WORKERD_EXAMPLE_TESTS],
        },
      },
    ],
  },
});
