/**
 * The conformance suite's vocabulary: a request in, a response out, and a driver per platform.
 * @module
 */

/** One HTTP request, described as it travels on the wire. */
export interface TestRequest {
  method: string;
  /** The raw request target, bytes as latin-1 code units. */
  target: string;
  /** Header pairs in order; repeated names stay separate. Drivers add `Host` only when `host` is set. */
  headers: Array<[string, string]>;
  body?: Uint8Array;
  /** Default HTTP/1.1. */
  protocol?: "HTTP/1.1" | "HTTP/1.0";
}

/** What came back. */
export interface TestResponse {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** The response was cut off (connection or stream aborted) rather than completed. */
  aborted: boolean;
}

/**
 * What a platform can carry. A case that needs a capability a driver lacks is skipped by name,
 * visibly, with the capability in the test title.
 */
export type Capability =
  /** The target's path reaches the app as sent: a leading `//x` stays a path. */
  | "raw-target"
  /** `.` and `..` segments reach the app unresolved (a Fetch URL resolves them). */
  | "dot-segments"
  /** The asterisk-form target `*` (OPTIONS *) reaches the app. */
  | "asterisk-form"
  /** Header bytes that are not UTF-8 reach the app as they are (workerd decodes them as UTF-8). */
  | "non-utf8-headers"
  /** Repeated request headers arrive as separate fields (Fetch `Headers` joins them with `, `). */
  | "repeated-headers"
  /** A body framed with `Transfer-Encoding: chunked` and no Content-Length. */
  | "chunked-request"
  /** `Expect: 100-continue` handshake on the wire. */
  | "expect-continue"
  /** HTTP/1.0 requests. */
  | "http10"
  /** A response can be cut off after its headers went out, and the client can see it. */
  | "abort"
  /** Request bytes beyond Content-Length can be sent (raw sockets only). */
  | "excess-body"
  /** 1xx final statuses can be represented. */
  | "informational"
  /** The path arrives still percent-encoded, so RAW_URI and non-UTF-8 path bytes survive (an HTTP API decodes it first). */
  | "encoded-path"
  /** QUERY_STRING arrives byte for byte (REST and ALB hand over parameter maps, which the adapter rebuilds). */
  | "raw-query"
  /** Every value of a repeated request header arrives, separate or joined with `, ` (ALB single-value keeps the last). */
  | "repeated-header-values"
  /** A response can carry several Set-Cookie headers (ALB single-value mode carries one). */
  | "set-cookie-list"
  /**
   * Header names reach the gateway as sent, so `X_Forwarded_For` can be told from
   * `X-Forwarded-For` (CGI meta-variables fold both into HTTP_X_FORWARDED_FOR).
   */
  | "header-names"
  /** The Host header value reaches the gateway as sent (lighttpd lower-cases it). */
  | "raw-host"
  /**
   * The gateway reserves `DEFAULT_EVENT_PATHS` (`/__tsgi/scheduled`, `/__tsgi/queue`, where Workers
   * deliver events): an HTTP request to them, in any spelling, is refused with 404.
   */
  | "reserved-event-paths"
  /** The gateway checks Host syntax (`GatewayRequest.strictHost`); Lambda leaves it to the front door. */
  | "strict-host"
  /** An absolute-form target (`GET http://a.test/x HTTP/1.1`) reaches the gateway as sent. */
  | "absolute-form"
  /**
   * A method outside the platform's parser's list (`FROBNICATE`) reaches the app. Node's llhttp
   * answers 400 itself (HPE_INVALID_METHOD), as gunicorn and waitress would not.
   */
  | "extension-methods";

/** Runs requests against the conformance apps on one platform. */
export interface Driver {
  name: string;
  capabilities: ReadonlySet<Capability>;
  /** Starts whatever the driver needs (a server, a worker). */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /** Sends `request` to the named app of test/conformance/apps.ts. */
  invoke(app: string, request: TestRequest): Promise<TestResponse>;
  /**
   * Request headers the platform itself adds to every request (Workers: `CF-Connecting-IP`,
   * `Accept-Encoding`), lower-case: their HTTP_ keys are left out of `environExact`.
   */
  addedHeaders?: ReadonlyArray<string>;
  /** Text the apps and the gateway wrote to tsgi.errors since the last call, where it can be seen. */
  takeErrors?(): Promise<string>;
  /** The `tsgi.*` flags where they differ from a long-lived server's (CGI: `runOnce` true). */
  flags?: { multithread?: boolean; multiprocess?: boolean; runOnce?: boolean };
  /** Standard CGI keys the platform adds to the core environ (GATEWAY_INTERFACE...): `environExact` allows them. */
  environExtra?: readonly string[];
}

/** What a case expects. Omitted fields are not checked. */
export interface Expectation {
  status?: number;
  /** Exact values in the echoed environ; `null` means the key must be absent. */
  environ?: Record<string, string | null>;
  /** Every key without a dot (REMOTE_PORT aside) must be exactly these. */
  environExact?: Record<string, string>;
  /** Response headers: a string (the one value), an array (every value, in order), or null (absent). */
  headers?: Record<string, string | string[] | null>;
  /** The exact response body. */
  body?: string | Uint8Array;
  /** Text the body must not contain (no internals in a 500). */
  bodyExcludes?: string;
  aborted?: boolean;
  /** Text tsgi.errors must have received (checked where the driver can see it). */
  errors?: RegExp;
  /** Any further check on the response, and on the echoed JSON when the app is `echo`. */
  check?: (response: TestResponse, echo: Echo | undefined, driver: Driver | undefined) => void;
}

/** One row of the conformance table. */
export interface Case {
  name: string;
  /** The rule of docs/spec.md it proves (a number, or a tag such as `trap` or `Uni`). */
  rule: string;
  /** An app of test/conformance/apps.ts; `echo` by default. */
  app?: string;
  request: TestRequest;
  /** Send the request this many times; every response must pass. Default 1. */
  repeat?: number;
  requires?: Capability[];
  expect: Expectation;
}

/** What the echo app sends back. */
export interface Echo {
  environ: Record<string, string | number | boolean | number[]>;
  /** The request body as read through tsgi.input, base64. */
  body: string;
  /** Keys present in environ, sorted. */
  keys: string[];
}
