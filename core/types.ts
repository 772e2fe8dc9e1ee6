/**
 * The types of the TypeScript Gateway Interface: PEP 3333 carried into TypeScript.
 *
 * An application is `(environ, startResponse) => body`. See docs/spec.md for every rule.
 * @module
 */

/** A header list: ordered `[name, value]` pairs. Repeated names (Set-Cookie) stay separate pairs. */
export type HeaderList = Array<[name: string, value: string]>;

/** The `write(chunk)` callable returned by {@link StartResponse}: resolves when the chunk is handed on. */
export type Write = (chunk: Uint8Array) => Promise<void>;

/**
 * `startResponse(status, headers, excInfo?)`: sets the status line and headers, returns {@link Write}.
 *
 * `status` is `"DDD Reason"`; `excInfo` counts as given when it is `!= null` (any thrown value).
 */
export type StartResponse = (status: string, headers: HeaderList, excInfo?: unknown) => Write;

/** A response body: a sync or async iterable of byte chunks, optionally with a `close()` (the WSGI close). */
export type Body = (Iterable<Uint8Array> | AsyncIterable<Uint8Array>) & {
  close?: () => unknown;
};

/**
 * A gateway application. `E` is the environ it reads: {@link Environ} (every gateway's keys) by
 * default, or an adapter's own type with its platform keys (`CloudflareEnviron<Env>`,
 * `LambdaEnviron`, `NodeEnviron`). A plain `App` runs on every adapter.
 *
 * @example
 * ```ts
 * const app: App = (environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return [new TextEncoder().encode("Hello\n")];
 * };
 * ```
 */
export type App<E extends Environ = Environ> = (
  environ: E,
  startResponse: StartResponse,
) => Body | Promise<Body>;

/** A middleware turns an app into an app (of the same environ type). */
export type Middleware<E extends Environ = Environ> = (app: App<E>) => App<E>;

/** `tsgi.input`: the request body, async (see docs/spec.md, "Input"). */
export interface InputStream extends AsyncIterable<Uint8Array> {
  /** Read `n` bytes (all remaining when omitted or negative); resolves to exactly `min(n, remaining)` bytes. */
  read(n?: number | null): Promise<Uint8Array>;
  /** Read one line including its `\n`, at most `n` bytes when given. Empty at end of input. */
  readline(n?: number | null): Promise<Uint8Array>;
  /** Read lines until end of input, or until about `hint` bytes were read. */
  readlines(hint?: number | null): Promise<Uint8Array[]>;
}

/** `tsgi.errors`: a text stream for error output. Accepts any string and never throws. */
export interface ErrorStream {
  write(text: string): void;
  writelines(lines: Iterable<string>): void;
  flush(): void;
}

/** `tsgi.wait_until(promise)`: keep the platform alive until `promise` settles. Never throws. */
export type WaitUntil = (promise: Promise<unknown> | unknown) => void;

/**
 * The per-request environment. CGI keys hold bytes-as-latin1 strings; `tsgi.*` keys mirror `wsgi.*`;
 * platform data lives under `aws.*`, `cloudflare.*` and `node.*`.
 *
 * Typed so that a typo is an error: the CGI keys are listed, every `HTTP_*` key is
 * `string | undefined` (present exactly when the header arrived), and any other key must hold a dot
 * (an extension: `aws.event`, `myapp.user`), typed `unknown` here and precisely by each adapter's
 * environ type.
 *
 * @example
 * ```ts
 * const app: App = (environ, startResponse) => {
 *   const agent = environ.HTTP_USER_AGENT ?? "unknown"; // string
 *   // environ.REQEST_METHOD; // error: no such key
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return [new TextEncoder().encode(agent)];
 * };
 * ```
 */
export interface Environ {
  REQUEST_METHOD: string;
  SCRIPT_NAME: string;
  PATH_INFO: string;
  QUERY_STRING: string;
  CONTENT_TYPE?: string;
  CONTENT_LENGTH?: string;
  SERVER_NAME: string;
  SERVER_PORT: string;
  SERVER_PROTOCOL: string;
  REMOTE_ADDR?: string;
  REMOTE_PORT?: string;
  RAW_URI?: string;
  REQUEST_URI?: string;
  "tsgi.version": readonly [1, 0];
  "tsgi.url_scheme": "http" | "https";
  "tsgi.input": InputStream;
  "tsgi.errors": ErrorStream;
  "tsgi.multithread": boolean;
  "tsgi.multiprocess": boolean;
  "tsgi.run_once": boolean;
  "tsgi.input_terminated": boolean;
  "tsgi.wait_until": WaitUntil;
  /** Present only for a non-HTTP event, set by the gateway (see {@link TsgiEvent}). */
  "tsgi.event"?: TsgiEvent;
  // CGI meta-variables that only the CGI adapter passes on, when the web server set them.
  AUTH_TYPE?: string;
  GATEWAY_INTERFACE?: string;
  REMOTE_HOST?: string;
  REMOTE_IDENT?: string;
  REMOTE_USER?: string;
  SERVER_SOFTWARE?: string;
  SERVER_ADDR?: string;
  DOCUMENT_ROOT?: string;
  SCRIPT_FILENAME?: string;
  HTTPS?: string;
  REQUEST_SCHEME?: string;
  /** One key per request header (`HTTP_USER_AGENT`), present exactly when the header arrived. */
  [key: `HTTP_${string}`]: string | undefined;
  /** Extension keys: a prefix and a dot (`aws.*`, `cloudflare.*`, `node.*`, your own). */
  [key: `${string}.${string}`]: unknown;
}

/**
 * A non-HTTP event (a cron tick, a queue batch, an SQS message...) delivered to the app as a request:
 * environ `tsgi.event`. Only a gateway sets it, so its presence is the proof that the request is a
 * real event: an HTTP client can never produce it.
 */
export interface TsgiEvent {
  /** Where it came from: `cloudflare.scheduled`, `cloudflare.queue`, `aws.sqs`, `aws.events`... */
  source: string;
  /** The platform's own event object. */
  raw: unknown;
}

/**
 * Where request bytes come from: a whole buffer, or an async iterable of chunks read lazily.
 * `null` means no body.
 */
export type BodySource = Uint8Array | AsyncIterable<Uint8Array> | null;

/**
 * A platform-neutral description of one HTTP request, which adapters fill in and
 * {@link buildEnviron} turns into an environ.
 */
export interface GatewayRequest {
  /** The method as received (case kept). */
  method: string;
  /**
   * The raw request target: origin-form (`/a%20b?x=1`), absolute-form (`http://h/x`), or `*`.
   * Never normalized; bytes above 0x7F as latin-1 code units.
   */
  target: string;
  /** Header pairs in arrival order, names as received, values as bytes-as-latin1 strings. */
  headers: ReadonlyArray<readonly [string, string]>;
  /**
   * The platform's HTTP parser already refused CR, LF and NUL in the header values and trimmed
   * their blanks (Node's, unless its lenient mode is on): environ then takes the values as they
   * are, without checking each one again. Leave unset for values from anywhere else (events).
   */
  headerValuesChecked?: boolean | undefined;
  /**
   * The header values are text, not bytes (a JSON event): every non-ASCII character becomes its
   * UTF-8 bytes, one rule for `café` and `café ☃` alike. Otherwise a value holding only code units
   * <= 0xFF is taken as bytes.
   */
  headerValuesText?: boolean | undefined;
  /** The request body. */
  body: BodySource;
  /** `http` or `https`, as the client used it. */
  scheme: "http" | "https";
  /** `HTTP/1.1` and the like. */
  protocol: string;
  /**
   * The front door in front of the platform already applied HTTP/1.1's Host rule (RFC 9112 3.2):
   * a request without Host is then served, not refused (a Lambda event: an ALB health check, a
   * console test event). No `HTTP_HOST` is invented; SERVER_NAME and SERVER_PORT come from below.
   */
  hostChecked?: boolean | undefined;
  /**
   * Check the Host header (and an absolute-form target's authority) against RFC 3986 host syntax,
   * answering 400 when it is not: a reg-name (letters, digits, `-._~!$&'()*+;=`, `%XX`; no comma,
   * which is how two Host fields arrive joined), an IPv4 address or a bracketed IP literal, and a
   * port of at most five digits up to 65535. Set by adapters whose clients reach them directly
   * (Node, Fetch, CGI); left unset for Lambda events, whose front door has already checked Host
   * (and whose documentation samples carry placeholders such as `{dns_suffix}`).
   */
  strictHost?: boolean | undefined;
  /** Used for SERVER_NAME when the request has no Host header. */
  serverName: string;
  /** Used for SERVER_PORT when the request has no Host header. */
  serverPort: string;
  /** The trusted client address (socket peer, Lambda sourceIp...). */
  remoteAddr?: string | undefined;
  remotePort?: string | undefined;
  /** A mount prefix, decoded form (`/app`): moved from PATH_INFO to SCRIPT_NAME when it matches. */
  scriptName?: string | undefined;
  /** Error stream for `tsgi.errors`. */
  errors: ErrorStream;
  multithread: boolean;
  multiprocess: boolean;
  runOnce?: boolean | undefined;
  waitUntil: WaitUntil;
  /** Called once, at the first read of `tsgi.input` (sends `100 Continue` where the platform can). */
  onFirstRead?: (() => void) | undefined;
  /** Platform extension keys (`node.*`, `aws.*`, `cloudflare.*`), copied into environ. */
  extras?: Record<string, unknown> | undefined;
  /**
   * Milliseconds the app has for the whole response, from the moment the gateway starts serving the
   * request (`0` or unset: no limit). Past it, the client gets a `504 Gateway Timeout` if the headers
   * have not gone out, else the response is cut off; the reason is logged to `tsgi.errors`, the app's
   * iteration stops, and its body is closed once. On Lambda, set it below the invocation's remaining
   * time, so the answer goes out before the platform kills the invocation.
   */
  appTimeout?: number | undefined;
  /** Set by the gateway for a non-HTTP event only: becomes environ `tsgi.event`. */
  event?: TsgiEvent | undefined;
  /**
   * Paths that events are delivered to. An HTTP request (no `event`) whose decoded path is one of
   * them, or below one, in any spelling (`%73`, `//`, `..`, a trailing `/`, another case), is
   * refused with 404 and the app is not called: no client can pose as an event.
   */
  eventPaths?: readonly string[] | undefined;
}
