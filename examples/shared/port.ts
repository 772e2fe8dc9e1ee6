/**
 * `PORT` from the environment, checked: a one-line error and exit code 1 instead of Node's
 * ERR_SOCKET_BAD_PORT stack. No tsgi import, so that scripts/dev-lambda.ts (run without the
 * `source` condition) can use it too.
 * @module
 */

/**
 * Reads a port number from the environment variable `name`; exits with a one-line error if it is
 * not a whole number from 0 to 65535.
 *
 * @example
 * ```ts
 * const port = portFromEnv("PORT", 8000);
 * ```
 */
export function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    fail(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Prints `tsgi: message` and exits with code 1.
 *
 * @example
 * ```ts
 * fail("port 8000 on 127.0.0.1 is already in use");
 * ```
 */
export function fail(message: string): never {
  process.stderr.write(`tsgi: ${message}\n`);
  process.exit(1);
}
