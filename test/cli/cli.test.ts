/** The `tsgi` command as users run it: real subprocesses of bin/tsgi.mjs. */
import { type ChildProcess, spawn } from "node:child_process";
import { type Server, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

interface Run {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exit: Promise<number | null>;
}

/** Runs `tsgi args` from the repository root; `nodeArgs` go to the node running the launcher. */
function tsgi(args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Run {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "bin/tsgi.mjs", ...args], {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("latin1").on("data", (text: string) => (stdout += text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exit };
}

async function waitFor(run: Run, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run.output().stderr);
    if (match) return match;
    if (run.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} in output: ${JSON.stringify(run.output())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("tsgi serve", () => {
  it("serves examples/hello with 2 workers, even when the running node cannot strip types", async () => {
    // --no-experimental-strip-types stands in for node 20: the launcher must re-run the CLI on the
    // project's node.
    const run = tsgi(["serve", "examples/hello/app.ts", "--port", "0", "--workers", "2"], {
      nodeArgs: ["--no-experimental-strip-types"],
    });
    const [, url] = await waitFor(run, /serving examples\/hello\/app\.ts on (\S+) with 2 workers/);
    const response = await fetch(`${url}caf%C3%A9`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("Hello from tsgi! You asked for /café\n");
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
  });

  it.each([
    {
      name: "a missing module",
      args: ["serve", "nowhere/app.ts"],
      message: /tsgi: cannot find module nowhere\/app\.ts \(looked for .*nowhere\/app\.ts\)/,
    },
    {
      name: "a missing named export",
      args: ["serve", "examples/hello/app.ts:nope"],
      message: /has no export 'nope' \(it exports app, default, hello, timing\)/,
    },
    {
      name: "a module without a default export",
      args: ["serve", "test/cli/fixtures/named-only.ts"],
      message: /has no default export \(it exports api, settings\); name the app after a colon/,
    },
    {
      name: "an export that is not a function",
      args: ["serve", "test/cli/fixtures/named-only.ts:settings"],
      message: /export 'settings' of .* is an object, not an app function/,
    },
    { name: "an unknown command", args: ["run", "app.ts"], message: /unknown command run/, code: 2 },
    {
      name: "a bad --workers",
      args: ["serve", "x.ts", "--workers", "0"],
      message: /--workers must be/,
      code: 2,
    },
  ])("says so clearly for $name", async ({ args, message, code }) => {
    const run = tsgi(args);
    expect(await run.exit).toBe(code ?? 1);
    expect(run.output().stderr).toMatch(message);
    expect(run.output().stderr).not.toMatch(/^\s+at /m);
  });

  it.each([[[]], [["--workers", "2"]]])("says so clearly for a port in use %j", async (extra) => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = tsgi(["serve", "examples/hello/app.ts", "--port", String(port), ...extra]);
      expect(await run.exit).toBe(1);
      expect(run.output().stderr).toMatch(
        new RegExp(`tsgi: port ${port} on 127.0.0.1 is already in use; choose another with --port`),
      );
    } finally {
      blocker.close();
    }
  });
});

describe("tsgi cgi", () => {
  const cgiEnv = { PATH: process.env.PATH, REQUEST_METHOD: "GET", SERVER_PROTOCOL: "HTTP/1.0" };

  it("runs the module as a CGI script", async () => {
    const run = tsgi(["cgi", "examples/hello/app.ts"], {
      env: { ...cgiEnv, SCRIPT_NAME: "/hello.cgi", PATH_INFO: "/x", REQUEST_URI: "/hello.cgi/x" },
    });
    expect(await run.exit).toBe(0);
    const { stdout } = run.output();
    expect(stdout).toMatch(/^Status: 200 OK\r\nContent-Type: text\/plain; charset=utf-8\r\n/);
    expect(stdout).toMatch(/\r\n\r\nHello from tsgi! You asked for \/x\n$/);
  });

  it("keeps header bytes that are not UTF-8, also through the launcher's re-run", async () => {
    // Only a shell can put such bytes in an environment (node encodes env strings as UTF-8).
    const script = `HTTP_X_LATIN="$(printf 'caf\\303\\251 \\377')" exec "$0" "$@"`;
    const child = spawn(
      "/bin/sh",
      [
        "-c",
        script,
        process.execPath,
        "--no-experimental-strip-types",
        "bin/tsgi.mjs",
        "cgi",
        "test/cli/fixtures/header-bytes.ts",
      ],
      { cwd: ROOT, env: { ...cgiEnv, PATH_INFO: "/" }, stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(child);
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(0);
    const body = Buffer.concat(chunks).subarray(Buffer.concat(chunks).indexOf("\r\n\r\n") + 4);
    expect(body.toString("hex")).toBe(
      Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xff]).toString("hex"),
    );
  });

  it("answers 500 and explains on stderr when the module cannot be loaded", async () => {
    const run = tsgi(["cgi", "nowhere.ts"], { env: cgiEnv });
    expect(await run.exit).toBe(1);
    expect(run.output().stdout).toMatch(/^Status: 500 Internal Server Error\r\n/);
    expect(run.output().stderr).toMatch(/cannot find module nowhere\.ts/);
  });
});
