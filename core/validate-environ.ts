/**
 * The gateway's side of `validate(app)`: the environ it builds, and its `tsgi.input` and
 * `tsgi.errors` streams, checked rule by rule (see validate.ts).
 * @module
 */
import { ValidationError, describe } from "./errors.ts";
import type { Environ, ErrorStream, InputStream } from "./types.ts";

const REQUIRED = [
  "REQUEST_METHOD",
  "SCRIPT_NAME",
  "PATH_INFO",
  "QUERY_STRING",
  "SERVER_NAME",
  "SERVER_PORT",
  "SERVER_PROTOCOL",
];
const WIDE = /[^\u0000-\u00ff]/;

export function check(condition: unknown, rule: number | string, message: string): asserts condition {
  if (!condition) throw new ValidationError(rule, message);
}

export function checkEnviron(environ: Environ): void {
  check(
    typeof environ === "object" &&
      environ !== null &&
      [Object.prototype, null].includes(Object.getPrototypeOf(environ)),
    1,
    "environ must be a plain object",
  );
  for (const key of REQUIRED) check(key in environ, 3, `environ lacks the required key ${key}`);
  for (const key of ["REQUEST_METHOD", "SERVER_NAME", "SERVER_PORT"] as const) {
    check(typeof environ[key] === "string" && environ[key] !== "", 2, `${key} must be a non-empty string`);
  }
  for (const [key, value] of Object.entries(environ)) {
    if (key.includes(".")) {
      check(key === key.toLowerCase(), 11, `extension key ${key} must be lower-case`);
      continue;
    }
    check(typeof value === "string", 3, `environ key ${key} must hold a string, got ${describe(value)}`);
    check(
      !WIDE.test(value as string),
      4,
      `environ key ${key} holds a code unit above U+00FF (bytes-as-latin1 only)`,
    );
  }
  const { SCRIPT_NAME: script, PATH_INFO: path } = environ;
  check(
    script === "" || (script.startsWith("/") && script !== "/"),
    5,
    `SCRIPT_NAME must be "" or start with / and not be "/", got ${describe(script)}`,
  );
  check(
    path === "" || path.startsWith("/"),
    5,
    `PATH_INFO must be "" or start with /, got ${describe(path)}`,
  );
  check(
    !("HTTP_CONTENT_TYPE" in environ) && !("HTTP_CONTENT_LENGTH" in environ),
    8,
    "use CONTENT_TYPE and CONTENT_LENGTH, not HTTP_CONTENT_*",
  );
  check(
    environ.CONTENT_LENGTH === undefined || /^[0-9]+$/.test(environ.CONTENT_LENGTH),
    8,
    "CONTENT_LENGTH must be digits",
  );
  const version = environ["tsgi.version"];
  check(
    Array.isArray(version) && Object.isFrozen(version) && version[0] === 1 && version[1] === 0,
    11,
    "tsgi.version must be a frozen [1, 0]",
  );
  check(["http", "https"].includes(environ["tsgi.url_scheme"]), 11, "tsgi.url_scheme must be http or https");
  const input = environ["tsgi.input"];
  check(
    input &&
      ["read", "readline", "readlines"].every(
        (m) => typeof (input as unknown as Record<string, unknown>)[m] === "function",
      ) &&
      Symbol.asyncIterator in input,
    11,
    "tsgi.input must have read, readline, readlines and async iteration",
  );
  const errors = environ["tsgi.errors"];
  check(
    errors &&
      ["write", "writelines", "flush"].every(
        (m) => typeof (errors as unknown as Record<string, unknown>)[m] === "function",
      ),
    11,
    "tsgi.errors must have write, writelines and flush",
  );
  for (const flag of ["tsgi.multithread", "tsgi.multiprocess", "tsgi.run_once"] as const) {
    check(typeof environ[flag] === "boolean", 11, `${flag} must be a boolean`);
  }
}

export function checkBytes(value: unknown, rule: number | string, what: string): asserts value is Uint8Array {
  check(value instanceof Uint8Array, rule, `${what} must be a Uint8Array, got ${describe(value)}`);
}

function checkSize(n: unknown, what: string): void {
  check(n == null || typeof n === "number", 14, `${what} takes a number, got ${describe(n)}`);
}

export function wrapInput(input: InputStream): InputStream {
  return {
    async read(n) {
      checkSize(n, "tsgi.input.read");
      const out = await input.read(n);
      checkBytes(out, 14, "tsgi.input.read() result");
      if (typeof n === "number" && n >= 0)
        check(out.byteLength <= n, 14, "tsgi.input.read(n) returned more than n bytes");
      return out;
    },
    async readline(n) {
      checkSize(n, "tsgi.input.readline");
      const out = await input.readline(n);
      checkBytes(out, 14, "tsgi.input.readline() result");
      return out;
    },
    async readlines(hint) {
      checkSize(hint, "tsgi.input.readlines");
      const out = await input.readlines(hint);
      check(Array.isArray(out), 14, "tsgi.input.readlines() must return an array");
      return out;
    },
    [Symbol.asyncIterator]: () => input[Symbol.asyncIterator](),
  };
}

export function wrapErrors(errors: ErrorStream): ErrorStream {
  return {
    write(text) {
      check(typeof text === "string", 15, `tsgi.errors.write takes a string, got ${describe(text)}`);
      errors.write(text);
    },
    writelines(lines) {
      for (const line of lines) this.write(line);
    },
    flush() {
      errors.flush();
    },
  };
}
