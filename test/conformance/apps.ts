/**
 * The conformance apps. Platform-neutral (they run in Node, workerd and Lambda alike): only the
 * core and universal globals. `dispatch` picks the app named by the `X-Tsgi-App` request header
 * and removes that key before calling it, so the app sees exactly the request of the case.
 * @module
 */
import type { App, Body, Environ, Middleware } from "../../core/index.ts";
import { bytesToLatin1, closing, latin1ToBytes, mount, validate } from "../../core/index.ts";

const encoder = new TextEncoder();
const text = (s: string) => encoder.encode(s);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Echoes the environ (every JSON-able value) and the request body as read through tsgi.input. */
const echo: App = async (environ, startResponse) => {
  const bytes = await environ["tsgi.input"].read();
  const after = await environ["tsgi.input"].read(1);
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(environ)) {
    if (["string", "number", "boolean"].includes(typeof value) || Array.isArray(value)) shown[key] = value;
  }
  const payload = JSON.stringify({
    environ: shown,
    body: btoa(bytesToLatin1(bytes)),
    keys: Object.keys(environ).toSorted(),
    afterEnd: after.byteLength,
  });
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [text(payload)];
};

/** Echoes the raw request body bytes as the response body (byte-exact round trip). */
const bytes: App = async (environ, startResponse) => {
  const body = await environ["tsgi.input"].read();
  startResponse("200 OK", [["Content-Type", "application/octet-stream"]]);
  return [body];
};

/** Reads the body piecewise, reporting what read(n), readline() and the end of input gave. */
const inputProbe: App = async (environ, startResponse) => {
  const input = environ["tsgi.input"];
  const first = await input.read(3);
  const line = await input.readline();
  const rest = await input.read();
  const atEnd = await input.read();
  const report = [first, line, rest, atEnd].map((b) => bytesToLatin1(b)).join("|");
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [text(report)];
};

/** Two Set-Cookie headers and a repeated custom header. */
const cookies: App = (_environ, startResponse) => {
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["Set-Cookie", "a=1; Path=/; HttpOnly"],
    ["Set-Cookie", "b=2, with comma; Path=/"],
    ["X-Repeat", "one"],
    ["X-Repeat", "two"],
  ]);
  return [text("cookies")];
};

/** Yields three chunks with pauses, from an async generator. */
const stream: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return (async function* () {
    for (const part of ["one,", "two,", "three"]) {
      yield text(part);
      await sleep(30);
    }
  })();
};

/** startResponse is called lazily, at the first next() of the body (PEP 3333 allows it). */
const lazyStart: App = (_environ, startResponse) =>
  (function* () {
    startResponse("201 Created", [["Content-Type", "text/plain"]]);
    yield text("lazy");
  })();

/** write() before the iterable's bytes. */
const writeThenIterate: App = async (_environ, startResponse) => {
  const write = startResponse("200 OK", [["Content-Type", "text/plain"]]);
  await write(text("written,"));
  return [text("iterated")];
};

/** An error, caught, replaces the status and headers through excInfo before anything was sent. */
const excInfoBefore: App = (_environ, startResponse) => {
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["X-First", "yes"],
  ]);
  try {
    throw new Error("failure with secret internals");
  } catch (error) {
    startResponse("503 Service Unavailable", [["Content-Type", "text/plain"]], error);
    return [text("sorry")];
  }
};

/** After a chunk went out, excInfo is rethrown: the response is cut off. */
const excInfoAfter: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return (function* () {
    yield text("partial");
    const error = new Error("late failure");
    startResponse("500 Internal Server Error", [["Content-Type", "text/plain"]], error);
    yield text("never sent");
  })();
};

/** A second startResponse without excInfo. */
const secondStart: App = (_environ, startResponse) => {
  startResponse("200 OK", []);
  startResponse("404 Not Found", []);
  return [text("unreachable")];
};

/** Throws before the response starts, with internals in the message. */
const throwBefore: App = () => {
  throw new Error("secret-database-password");
};

/** Throws after the first chunk went out. */
const throwDuring: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return (function* () {
    yield text("first,");
    throw new Error("failed mid-body");
  })();
};

/** Empty chunks, then a failure: headers were not sent yet, so a clean 500. */
const emptyThenThrow: App = (_environ, startResponse) => {
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["X-Should-Not-Appear", "1"],
  ]);
  return (function* () {
    yield new Uint8Array(0);
    throw new Error("failed before any byte");
  })();
};

/** A header value with CR LF: a response-splitting attempt. */
const headerInjection: App = (_environ, startResponse) => {
  startResponse("200 OK", [["X-Evil", "a\r\nSet-Cookie: stolen=1"]]);
  return [text("injected")];
};

/** A header value with a code unit above U+00FF. */
const wideHeader: App = (_environ, startResponse) => {
  startResponse("200 OK", [["X-Wide", "snowman \u2603"]]);
  return [text("wide")];
};

/** A hop-by-hop header. */
const hopByHop: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Connection", "close"]]);
  return [text("hop")];
};

/** Transfer-Encoding set by the app. */
const appChunked: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Transfer-Encoding", "chunked"]]);
  return [text("5\r\nhello\r\n0\r\n\r\n")];
};

/** A status without a reason. */
const badStatus: App = (_environ, startResponse) => {
  startResponse("200", []);
  return [text("bad")];
};

/** A header name holding a colon and space. */
const badHeaderName: App = (_environ, startResponse) => {
  startResponse("200 OK", [["X-Bad: name", "v"]]);
  return [text("bad")];
};

/** A string chunk (tsgi takes Uint8Array only). */
const stringChunk: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return ["a string"] as unknown as Body;
};

/** Never calls startResponse. */
const neverStarts: App = () => [text("orphan")];

/** Declares Content-Length 3, yields more. */
const overLength: App = (_environ, startResponse) => {
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["Content-Length", "3"],
  ]);
  return (function* () {
    yield text("hello");
    yield text(" world");
  })();
};

/** Declares Content-Length 10, yields 3 bytes. */
const underLength: App = (_environ, startResponse) => {
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["Content-Length", "10"],
  ]);
  return (function* () {
    yield text("abc");
  })();
};

/** A generator body (no known length) of several chunks. */
const chunks: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return (function* () {
    yield text("a");
    yield text("b");
    yield text("c");
  })();
};

/** Answers with the status given in the query (`?204`), with a body the gateway must drop. */
const statusApp: App = (environ, startResponse) => {
  const code = environ.QUERY_STRING || "200";
  startResponse(`${code} Whatever`, [["Content-Type", "text/plain"]]);
  return [text("body that must not be sent")];
};

/** Reuses one buffer for every chunk: the gateway must copy or send each before the next. */
const reusedBuffer: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  const buffer = new Uint8Array(4);
  return (function* () {
    for (const word of ["aaaa", "bbbb", "cccc"]) {
      buffer.set(text(word));
      yield buffer;
    }
  })();
};

/** A whole body whose close() recycles its buffer: close() comes after the bytes are handed on. */
const recycledOnClose: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  const buffer = text("pooled bytes");
  return Object.assign([buffer], { close: () => void buffer.fill(0x2a) });
};

/** Subarray chunks whose `.buffer` holds neighbouring bytes. */
const subarrays: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  const backing = text("XXhelloYYworldZZ");
  return [backing.subarray(2, 7), backing.subarray(9, 14)];
};

/** Answers 401 without reading the body (Expect: 100-continue must not invite it). */
const unauthorized: App = (_environ, startResponse) => {
  startResponse("401 Unauthorized", [["Content-Type", "text/plain"]]);
  return [text("no")];
};

/** The conformance apps by name. */
export const apps: Record<string, App> = {
  echo,
  bytes,
  "input-probe": inputProbe,
  cookies,
  stream,
  "lazy-start": lazyStart,
  "write-then-iterate": writeThenIterate,
  "excinfo-before": excInfoBefore,
  "excinfo-after": excInfoAfter,
  "second-start": secondStart,
  "throw-before": throwBefore,
  "throw-during": throwDuring,
  "empty-then-throw": emptyThenThrow,
  "header-injection": headerInjection,
  "wide-header": wideHeader,
  "hop-by-hop": hopByHop,
  "app-chunked": appChunked,
  "bad-status": badStatus,
  "bad-header-name": badHeaderName,
  "string-chunk": stringChunk,
  "never-starts": neverStarts,
  "over-length": overLength,
  "under-length": underLength,
  chunks,
  status: statusApp,
  "reused-buffer": reusedBuffer,
  "recycled-on-close": recycledOnClose,
  subarrays,
  unauthorized,
};

let previousEnviron: Environ | undefined;
/** Fails when the environ is not a fresh plain object (rule 1); run twice by its case. */
const freshEnviron: App = (environ, startResponse) => {
  const fresh = environ !== previousEnviron && !("test.marker" in environ);
  const plain = Object.getPrototypeOf(environ) === Object.prototype;
  previousEnviron = environ;
  environ["test.marker"] = true;
  environ.PATH_INFO = "/changed-by-the-app";
  startResponse(fresh && plain ? "200 OK" : "500 Reused", [["Content-Type", "text/plain"]]);
  return [text(`${fresh} ${plain}`)];
};

/** Writes awkward text to tsgi.errors: astral characters, lone surrogates, no final newline. */
const errorsUnicode: App = (environ, startResponse) => {
  const errors = environ["tsgi.errors"];
  errors.write("unicode \u{1F600} \u2603 lone \ud800 ");
  errors.writelines(["and more", " lines\n"]);
  errors.write("no newline");
  errors.flush();
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [text("logged")];
};

/** A PEP 3333-style middleware: changes the body, so drops Content-Length; passes close() on. */
const upperCase: Middleware = (app) => async (environ, startResponse) => {
  const body = await app(environ, (status, headers, excInfo) =>
    startResponse(
      status,
      headers.filter(([n]) => n.toLowerCase() !== "content-length"),
      excInfo,
    ),
  );
  const decoder = new TextDecoder();
  const source = body as AsyncIterable<Uint8Array> & Iterable<Uint8Array>;
  return closing(
    (async function* () {
      for await (const chunk of source) yield text(decoder.decode(chunk, { stream: true }).toUpperCase());
    })(),
    () => body.close?.(),
  );
};

/** A streamed body with a declared Content-Length, wrapped in the upper-casing middleware. */
const middlewareApp: App = upperCase((_environ, startResponse) => {
  startResponse("200 OK", [
    ["Content-Type", "text/plain"],
    ["Content-Length", "11"],
  ]);
  return (function* () {
    yield text("hello ");
    yield text("world");
  })();
});

/** Answers `SCRIPT_NAME|PATH_INFO`, as bytes-as-latin1, tagged with its name. */
const where =
  (name: string): App =>
  (environ, startResponse) => {
    startResponse("200 OK", [["Content-Type", "text/plain; charset=iso-8859-1"]]);
    return [latin1ToBytes(`${name} ${environ.SCRIPT_NAME}|${environ.PATH_INFO}`)];
  };

/**
 * An app that (wrongly) tells a cron tick by its path: the gateway must never let an HTTP request
 * reach it there, whatever the spelling. `tsgi.event` is the only proof of an event.
 */
const naiveEvents: App = (environ, startResponse) => {
  const path = environ.PATH_INFO.toLowerCase();
  const fooled = path.includes("__tsgi") && !environ["tsgi.event"];
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [text(fooled ? "cron ran for an HTTP client" : "not an event")];
};

/** Writes values that cannot become a string to tsgi.errors: the stream must not throw. */
const errorsUnstringable: App = (environ, startResponse) => {
  const errors = environ["tsgi.errors"];
  const hostile = {
    toString() {
      throw new Error("no string for you");
    },
  };
  errors.write(Object.create(null) as string);
  errors.write(hostile as unknown as string);
  errors.writelines([hostile as unknown as string, "after\n"]);
  errors.write("still logging\n");
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [text("logged")];
};

Object.assign(apps, {
  mount: mount({ "/api": where("api"), "/api/v2/": where("v2"), "caf\u00e9": where("cafe") }),
  "mount-fallback": mount({ "/api": where("api") }, where("fallback")),
  "naive-events": naiveEvents,
  "errors-unstringable": errorsUnstringable,
  "fresh-environ": freshEnviron,
  "errors-unicode": errorsUnicode,
  middleware: middlewareApp,
  "validated-echo": validate(echo),
  "validated-stream": validate(stream),
});

/** The header that names the app; drivers add it, `dispatch` removes it. */
export const APP_HEADER = "X-Tsgi-App";

/** Runs the app named by the X-Tsgi-App header (echo when absent). */
export const dispatch: App = (environ: Environ, startResponse) => {
  const name = environ.HTTP_X_TSGI_APP ?? "echo";
  delete environ.HTTP_X_TSGI_APP;
  const app = apps[name as string];
  if (!app) {
    startResponse("404 Not Found", [["Content-Type", "text/plain"]]);
    return [text(`no conformance app ${String(name)}`)];
  }
  return app(environ, startResponse);
};
