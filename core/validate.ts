/**
 * `validate(app)`: a middleware that checks both sides of the interface, at least as strictly as
 * Python's `wsgiref.validate`, and also the gaps it leaves (hop-by-hop headers, a second
 * startResponse, code units above U+00FF, a body on HEAD, a Content-Length mismatch, an app that
 * never calls startResponse). Every failure is a {@link ValidationError} naming its rule in
 * docs/spec.md.
 * @module
 */
import { describe } from "./errors.ts";
import { HOP_BY_HOP, TOKEN } from "./headers.ts";
import { isBodyless } from "./start-response.ts";
import { check, checkBytes, checkEnviron, wrapErrors, wrapInput } from "./validate-environ.ts";

const STATUS = /^[1-5][0-9]{2} [^\u0000-\u001f\u007f\u0100-\uffff]+$/;
const BAD_VALUE = /[\u0000-\u001f\u007f\u0100-\uffff]/;
import type { App, Body, Environ, HeaderList, StartResponse, Write } from "./types.ts";

function checkHeaderList(headers: unknown): asserts headers is HeaderList {
  check(Array.isArray(headers), 18, `headers must be an array, got ${describe(headers)}`);
  let lengths = 0;
  for (const pair of headers as unknown[]) {
    check(
      Array.isArray(pair) && pair.length === 2,
      18,
      `each header must be a [name, value] pair, got ${describe(pair)}`,
    );
    const [name, value] = pair as unknown[];
    check(
      typeof name === "string" && TOKEN.test(name),
      18,
      `header name ${describe(name)} must be a token (no colon, space or control)`,
    );
    check(typeof value === "string", 18, `header ${name} value must be a string, got ${describe(value)}`);
    check(
      !BAD_VALUE.test(value as string),
      18,
      `header ${name} value holds a control character or a code unit above U+00FF`,
    );
    const lower = (name as string).toLowerCase();
    check(!HOP_BY_HOP.has(lower), 19, `hop-by-hop header ${name} is the gateway's to set`);
    check(lower !== "status", 18, "a Status header is not allowed; the status goes in the status argument");
    if (lower === "content-length") {
      check(/^[0-9]+$/.test(value as string), 18, "Content-Length must be digits");
      lengths++;
    }
  }
  check(lengths <= 1, 18, "Content-Length given twice");
}

interface Progress {
  method: string;
  status: number | undefined;
  declared: number | undefined;
  bytes: number;
  sent: boolean;
}

/**
 * Wraps `app` so that every use of the interface, by the app and by the gateway, is checked.
 * Use it in development and tests; it adds work to every request.
 *
 * @example
 * ```ts
 * import { validate } from "tsgi";
 * serve(validate(app), { port: 8000 });
 * ```
 */
export function validate<E extends Environ = Environ>(app: App<E>): App<E> {
  return async (environ: E, startResponse: StartResponse) => {
    check(typeof startResponse === "function", "SD", "startResponse must be a function");
    checkEnviron(environ);
    environ["tsgi.input"] = wrapInput(environ["tsgi.input"]);
    environ["tsgi.errors"] = wrapErrors(environ["tsgi.errors"]);
    const method = environ.REQUEST_METHOD;
    const progress: Progress = { method, status: undefined, declared: undefined, bytes: 0, sent: false };
    let calls = 0;

    const count = (chunk: Uint8Array, from: string) => {
      if (chunk.byteLength === 0) return;
      progress.sent = true;
      const s = progress.status!;
      check(
        !isBodyless(method, s),
        27,
        `${from} sent body bytes on a ${method === "HEAD" ? "HEAD request" : `${s} response`}`,
      );
      progress.bytes += chunk.byteLength;
      if (progress.declared !== undefined) {
        check(
          progress.bytes <= progress.declared,
          25,
          `the body is longer than its Content-Length ${progress.declared}`,
        );
      }
    };

    const wrappedStart: StartResponse = (status, headers, excInfo) => {
      check(calls === 0 || excInfo != null, 21, "startResponse called a second time without excInfo");
      check(
        typeof status === "string" && STATUS.test(status),
        17,
        `status must be "DDD Reason" with no control characters, got ${describe(status)}`,
      );
      checkHeaderList(headers);
      if (excInfo != null && progress.sent) {
        let rethrown = false;
        try {
          startResponse(status, headers, excInfo);
        } catch (error) {
          rethrown = error === excInfo;
          throw error;
        } finally {
          check(rethrown, 21, "the gateway must rethrow excInfo once headers are sent");
        }
      }
      calls++;
      progress.status = Number(status.slice(0, 3));
      const cl = headers.find(([n]) => n.toLowerCase() === "content-length");
      progress.declared = cl ? Number(cl[1]) : undefined;
      const write = startResponse(status, headers, excInfo);
      check(typeof write === "function", 22, "startResponse must return write()");
      const wrappedWrite: Write = (chunk) => {
        checkBytes(chunk, 22, "write()");
        count(chunk, "write()");
        return write(chunk);
      };
      return wrappedWrite;
    };

    const body = await app(environ, wrappedStart);
    check(
      body != null && typeof body !== "string",
      "SD",
      `the app must return an iterable of Uint8Array, got ${describe(body)}`,
    );
    const iterable = body as Body & Record<symbol, unknown>;
    check(
      typeof iterable[Symbol.iterator] === "function" || typeof iterable[Symbol.asyncIterator] === "function",
      "SD",
      `the app must return an iterable of Uint8Array, got ${describe(body)}`,
    );
    return wrapBody(body, progress, count, () => calls > 0);
  };
}

function wrapBody(
  body: Body,
  progress: Progress,
  count: (chunk: Uint8Array, from: string) => void,
  started: () => boolean,
): Body {
  let closed = false;
  let iterating = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      check(!iterating, 29, "the body was iterated twice");
      iterating = true;
      const inner =
        Symbol.asyncIterator in body
          ? (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
          : (body as Iterable<Uint8Array>)[Symbol.iterator]();
      return {
        async next() {
          check(!closed, 29, "the gateway iterated the body after close()");
          const result = await inner.next();
          if (result.done) {
            check(started(), 30, "the app never called startResponse");
            const s = progress.status!;
            const bodyAllowed = !isBodyless(progress.method, s);
            if (progress.declared !== undefined && bodyAllowed) {
              check(
                progress.bytes === progress.declared,
                25,
                `the body is shorter (${progress.bytes} bytes) than its Content-Length ${progress.declared}`,
              );
            }
            return result;
          }
          const chunk: unknown = result.value;
          checkBytes(chunk, "Uni", "each body chunk");
          if (chunk.byteLength > 0) {
            check(started(), 20, "the body yielded data before startResponse was called");
            count(chunk, "the body");
          }
          return { done: false, value: chunk };
        },
        async return(value?: unknown) {
          await inner.return?.(value);
          return { done: true, value: undefined };
        },
      };
    },
    async close() {
      check(!closed, 29, "close() called twice");
      closed = true;
      await body.close?.();
    },
  };
}
