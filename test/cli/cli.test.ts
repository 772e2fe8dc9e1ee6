/** The `tsgi` command as users run it: real subprocesses of bin/tsgi.mjs. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Apps written by the tests (an enum, a syntax error, files --reload watches). */
const scratch = mkdtempSync(join(tmpdir(), "tsgi-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
/** One line of gunicorn's default access log format (Apache combined), then the duration. */
const ACCESS_LINE =
  /^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/caf%C3%A9\?q=1 HTTP\/1\.1" 200 38 "-" "tsgi-test\/1" \d+\.\dms$/m;
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
function tsgi(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; detached?: boolean } = {},
): Run {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "bin/tsgi.mjs", ...args], {
    cwd: ROOT,
    // In its own process group, Ctrl-C can be played by signalling the group, as a terminal does.
    detached: options.detached ?? false,
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

async function waitFor(
  run: Run,
  pattern: RegExp,
  timeoutMs = 15_000,
  stream: "stdout" | "stderr" = "stderr",
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run.output()[stream]);
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

  it.each([
    {
      name: "a directory",
      args: ["serve", "examples/hello"],
      message:
        /^tsgi: examples\/hello is a directory: name the module file that exports the app, e\.g\. examples\/hello\/app\.ts\n$/,
    },
    {
      name: "an enum (TypeScript that type stripping cannot run)",
      file: "enum.ts",
      text: "export enum Color { Red }\nexport default () => [];\n",
      message:
        /^tsgi: could not load module .*enum\.ts: TypeScript enum is not supported in strip-only mode \(.*enum\.ts:1\): Node runs TypeScript by erasing types.*\n$/,
    },
    {
      name: "a syntax error",
      file: "syntax.ts",
      text: "export default () => {\n",
      message: /^tsgi: could not load module .*syntax\.ts: SyntaxError: .* \(.*syntax\.ts:\d+\)\n$/,
    },
    {
      name: "a PORT that is not a number",
      args: ["serve", "examples/hello/app.ts"],
      env: { PORT: "abc" },
      message: /^tsgi: PORT must be a port number from 0 to 65535, got "abc"\n$/,
      code: 2,
    },
  ])("says so in one line for $name", async ({ args, file, text, env, message, code }) => {
    if (file) writeFileSync(join(scratch, file), text ?? "");
    const run = tsgi(args ?? ["serve", join(scratch, file ?? "")], { env: { ...process.env, ...env } });
    expect(await run.exit).toBe(code ?? 1);
    expect(run.output().stderr).toMatch(message);
  });

  it.each(["--version", "-v"])("%s prints the version", async (flag) => {
    const run = tsgi([flag]);
    expect(await run.exit).toBe(0);
    expect(run.output()).toEqual({ stdout: `tsgi ${VERSION}\n`, stderr: "" });
  });

  it("logs each request in gunicorn's format with its duration; --no-access-log turns it off", async () => {
    const request = (url: string) =>
      fetch(`${url}caf%C3%A9?q=1`, { headers: { "User-Agent": "tsgi-test/1" } }).then((r) => r.text());
    const run = tsgi(["serve", "examples/hello/app.ts", "--port", "0"]);
    const [, url] = await waitFor(run, /serving .* on (\S+)/);
    await request(url!);
    await waitFor(run, ACCESS_LINE, 5000, "stdout");
    run.child.kill("SIGTERM");
    await run.exit;

    const quiet = tsgi(["serve", "examples/hello/app.ts", "--port", "0", "--no-access-log"]);
    const [, quietUrl] = await waitFor(quiet, /serving .* on (\S+)/);
    await request(quietUrl!);
    quiet.child.kill("SIGTERM");
    await quiet.exit;
    expect(quiet.output().stdout).toBe("");
  });

  it("says what the shutdown drains, then stopped; a second Ctrl-C stops at once and says so", async () => {
    const slow = join(scratch, "slow.ts");
    writeFileSync(
      slow,
      `export default async (_e: unknown, start: (s: string, h: string[][]) => void) => {
         await new Promise((r) => setTimeout(r, 5000));
         start("200 OK", []);
         return [];
       };\n`,
    );
    const run = tsgi(["serve", "examples/hello/app.ts", "--port", "0"]);
    await waitFor(run, /serving/);
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
    expect(run.output().stderr).toMatch(
      /tsgi: SIGTERM received, draining 0 requests \(up to 10 s\); again to stop at once\ntsgi: stopped\n$/,
    );

    const busy = tsgi(["serve", slow, "--port", "0"], { detached: true });
    const ctrlC = () => process.kill(-busy.child.pid!, "SIGINT");
    const [, url] = await waitFor(busy, /serving .* on (\S+)/);
    const pending = fetch(url!).catch(() => undefined);
    await waitFor(busy, /x^/, 300).catch(() => undefined); // the request reaches the app
    ctrlC();
    await waitFor(busy, /draining 1 request \(up to 10 s\)/);
    ctrlC();
    expect(await busy.exit).toBe(1);
    expect(busy.output().stderr).toMatch(/tsgi: SIGINT again, stopping now without waiting for requests\n$/);
    await pending;
  });

  it(
    "--reload restarts on a change, says it stopped while the app does not load, and serves the fix",
    { timeout: 40_000 },
    async () => {
      const dir = mkdtempSync(join(scratch, "reload-"));
      writeFileSync(join(dir, "message.ts"), `export const message = "one";\n`);
      writeFileSync(
        join(dir, "app.ts"),
        `import { message } from "./message.ts";
       export default (_e: unknown, start: (s: string, h: string[][]) => void) => {
         start("200 OK", []);
         return [new TextEncoder().encode(message)];
       };\n`,
      );
      const run = tsgi(["serve", join(dir, "app.ts"), "--port", "0", "--reload"]);
      await waitFor(run, /^tsgi: --reload: restarting when a file the app loads changes \(node --watch\)$/m);
      const [, first] = await waitFor(run, /serving .* on (\S+)/);
      expect(await (await fetch(first!)).text()).toBe("one");

      const before = run.output().stderr.length;
      writeFileSync(join(dir, "message.ts"), `export const message = ;\n`);
      await waitFor(
        run,
        /could not load module .*app\.ts: SyntaxError: .*; stopped serving until a file changes/,
        15_000,
      );
      writeFileSync(join(dir, "message.ts"), `export const message = "two";\n`);
      const deadline = Date.now() + 15_000;
      let url: string | undefined;
      while (!url && Date.now() < deadline) {
        url = /serving .* on (\S+)/.exec(run.output().stderr.slice(before))?.[1];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(url, run.output().stderr).toBeDefined();
      expect(await (await fetch(url!)).text()).toBe("two");
      run.child.kill("SIGTERM");
      await run.exit;
    },
  );

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
