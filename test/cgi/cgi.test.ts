/**
 * tsgi/cgi in-process: the meta-variables servers other than lighttpd send (no REQUEST_URI,
 * internal redirects, chunked bodies), the CGI document on stdout, and the exit codes.
 */
import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type CgiEnv, parseEnviron, runCgi } from "../../adapters/cgi.ts";
import { bytesToLatin1, createErrorStream, latin1ToBytes } from "../../core/index.ts";
import type { App } from "../../core/index.ts";

const echoPath: App = async (environ, startResponse) => {
  const body = await environ["tsgi.input"].read();
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  const keys = [
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "RAW_URI",
    "CONTENT_LENGTH",
    "HTTP_X_LATIN",
  ] as const;
  const shown = keys.map((k) => `${k}=${JSON.stringify(environ[k] ?? null)}`).join("\n");
  return [latin1ToBytes(`${shown}\nbody=${bytesToLatin1(body)}`)];
};

const brokenMidBody: App = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return (function* () {
    yield new TextEncoder().encode("partial");
    throw new Error("broken");
  })();
};

const throwsSecret: App = () => {
  throw new Error("secret");
};

async function run(app: App, env: CgiEnv, stdin = Readable.from([])) {
  const stdout = new PassThrough();
  const parts: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => parts.push(chunk));
  let errors = "";
  const code = await runCgi(app, {
    env,
    stdin,
    stdout,
    errors: createErrorStream((line) => (errors += `${line}\n`)),
  });
  return { code, out: Buffer.concat(parts).toString("latin1"), errors };
}

const base = { REQUEST_METHOD: "GET", SERVER_NAME: "h", SERVER_PORT: "80", SERVER_PROTOCOL: "HTTP/1.0" };

describe("tsgi/cgi environ", () => {
  it.each([
    {
      name: "Apache-style: REQUEST_URI under SCRIPT_NAME gives the raw path",
      env: { SCRIPT_NAME: "/app.cgi", PATH_INFO: "/a/b", REQUEST_URI: "/app.cgi/a%2Fb?x" },
      want: ['SCRIPT_NAME="/app.cgi"', 'PATH_INFO="/a/b"', 'RAW_URI="/app.cgi/a%2Fb?x"'],
    },
    {
      name: "no REQUEST_URI: rebuilt from SCRIPT_NAME, PATH_INFO and QUERY_STRING",
      env: { SCRIPT_NAME: "/cgi-bin/x", PATH_INFO: "/p q/\u00ff", QUERY_STRING: "a=%20" },
      want: ['SCRIPT_NAME="/cgi-bin/x"', 'PATH_INFO="/p q/\u00ff"', 'QUERY_STRING="a=%20"'],
    },
    {
      name: "REQUEST_URI outside the mount (internal redirect): the server's values",
      env: { SCRIPT_NAME: "/app.cgi", PATH_INFO: "/x", REQUEST_URI: "/pretty/url" },
      want: ['SCRIPT_NAME="/app.cgi"', 'PATH_INFO="/x"', 'RAW_URI="/pretty/url"'],
    },
    {
      name: "CONTENT_LENGTH 0 means no body: the key is left out",
      env: { SCRIPT_NAME: "", PATH_INFO: "/", CONTENT_LENGTH: "0" },
      want: ["CONTENT_LENGTH=null", "body="],
    },
    {
      name: "header values keep their bytes",
      env: { PATH_INFO: "/", HTTP_X_LATIN: "caf\u00c3\u00a9 \u00ff" },
      want: ['HTTP_X_LATIN="caf\u00c3\u00a9 \u00ff"'],
    },
  ])("$name", async ({ env, want }) => {
    const { code, out } = await run(echoPath, { ...base, ...env });
    expect(code).toBe(0);
    expect(out.startsWith("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ")).toBe(true);
    for (const line of want) expect(out).toContain(line);
  });

  // lighttpd refuses such a Host itself before any script runs (conformance: cgi); a server that
  // passes it on (Apache's mod_cgi with a lax front) reaches tsgi's own check.
  it.each(['a"><svg>', "evil.test\\good.test", "caf\u00e9.test", "a.test, b.test"])(
    "a Host that is not host syntax (%s) gets a 400 and a logged reason; the app is not called",
    async (host) => {
      const { code, out, errors } = await run(throwsSecret, { ...base, PATH_INFO: "/", HTTP_HOST: host });
      expect(code).toBe(0);
      expect(out.startsWith("Status: 400 Bad Request\r\n")).toBe(true);
      expect(out).not.toContain("secret");
      expect(errors).toMatch(/invalid Host/);
    },
  );

  it("reads no more than CONTENT_LENGTH and does not wait for EOF", async () => {
    const stdin = new PassThrough();
    stdin.write("hello, and more");
    const { out } = await run(echoPath, { ...base, REQUEST_METHOD: "POST", CONTENT_LENGTH: "5" }, stdin);
    expect(out).toContain("body=hello");
    expect(out).toContain('CONTENT_LENGTH="5"');
  });

  it("a chunked body the server streams without CONTENT_LENGTH is read to EOF", async () => {
    const env = { ...base, REQUEST_METHOD: "POST", HTTP_TRANSFER_ENCODING: "chunked" };
    const { out } = await run(echoPath, env, Readable.from([Buffer.from("ab"), Buffer.from("cd")]));
    expect(out).toContain("body=abcd");
  });

  it("parses a raw environment byte for byte", () => {
    const raw = Buffer.from("A=1\0PATH_INFO=/\xff=x\0EMPTY=\0", "latin1");
    expect(parseEnviron(raw)).toEqual({ A: "1", PATH_INFO: "/\u00ff=x", EMPTY: "" });
  });
});

describe("tsgi/cgi exit codes", () => {
  it("a response cut off after its headers exits 1", async () => {
    const { code, out, errors } = await run(brokenMidBody, { ...base, PATH_INFO: "/" });
    expect(code).toBe(1);
    expect(out).toMatch(/^Status: 200 OK\r\n.*\r\n\r\npartial$/s);
    expect(errors).toMatch(/broken/);
  });

  it("an app error before the headers is a 500 without internals, exit 0", async () => {
    const { code, out } = await run(throwsSecret, { ...base, PATH_INFO: "/" });
    expect(code).toBe(0);
    expect(out).toMatch(/^Status: 500 Internal Server Error\r\n/);
    expect(out).not.toContain("secret");
  });

  it("a server that closes stdout (EPIPE) stops the app and closes its body, exit 1", async () => {
    let closed = false;
    const endless: App = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      const chunks = (async function* () {
        for (;;) {
          yield new TextEncoder().encode("tick\n");
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      return Object.assign(chunks, { close: () => void (closed = true) });
    };
    let writes = 0;
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        if (++writes < 3) callback();
        else callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const code = await runCgi(endless, {
      env: { ...base, PATH_INFO: "/" },
      stdout,
      errors: createErrorStream(() => {}),
    });
    expect(code).toBe(1);
    expect(closed).toBe(true);
  });

  it("outside a CGI request (no REQUEST_METHOD) exits 2 with a reason", async () => {
    const { code, out, errors } = await run(echoPath, { PATH_INFO: "/" });
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(errors).toMatch(/not started as a CGI script/);
  });
});
