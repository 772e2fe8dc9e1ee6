/**
 * A real lighttpd with mod_cgi for the tests: it listens on 127.0.0.1, and every URL runs one CGI
 * script, a shell wrapper that starts the project's node on a TypeScript entry file.
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "../support/net.ts";

/** The lighttpd binary, looked up on PATH and in the sbin directories Debian installs it to. */
export function findLighttpd(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin"];
  return dirs
    .filter((dir) => dir.startsWith("/"))
    .map((dir) => join(dir, "lighttpd"))
    .find((file) => existsSync(file));
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`lighttpd exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`lighttpd did not listen on port ${port} within ${timeoutMs} ms`);
}

export interface Lighttpd {
  port: number;
  /** What lighttpd and its CGI scripts wrote to stderr so far (tsgi.errors among it). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts lighttpd serving `entry` (a .ts file calling runCgi) as a CGI script for every URL.
 *
 * @example
 * ```ts
 * const server = await startLighttpd(binary, "/abs/path/entry.ts");
 * await server.stop();
 * ```
 */
export async function startLighttpd(binary: string, entry: string): Promise<Lighttpd> {
  const root = await mkdtemp(join(tmpdir(), "tsgi-lighttpd-"));
  const www = join(root, "www");
  await mkdir(www);
  const port = await freePort();
  const script = join(www, "app.cgi");
  // The wrapper runs the node running the tests (node 24, which loads .ts directly).
  await writeFile(script, `#!/bin/sh\nexec '${process.execPath}' '${entry}'\n`);
  await chmod(script, 0o755);
  const errorLog = join(root, "error.log");
  const config = `
server.document-root = "${www}"
server.bind = "127.0.0.1"
server.port = ${port}
server.errorlog = "${errorLog}"
server.pid-file = "${join(root, "lighttpd.pid")}"
server.modules = ("mod_rewrite", "mod_cgi")
# Every URL runs the one script; runCgi({ scriptName: "" }) puts the app at the root.
url.rewrite-once = ("^(/.*)$" => "/app.cgi$1")
cgi.assign = (".cgi" => "")
# Let raw bytes through to REQUEST_URI (%FF, %00) so the adapter's byte handling is what is tested.
# Keep the Host header as sent (the core lower-cases SERVER_NAME itself).
server.http-parseopts = (
  "url-invalid-utf8-reject" => "disable",
  "url-ctrls-reject" => "disable",
  "host-normalize" => "disable",
)
`;
  const configFile = join(root, "lighttpd.conf");
  await writeFile(configFile, config);
  // lighttpd in the foreground hands its own stderr to each CGI script: tsgi.errors lands here.
  const child = spawn(binary, ["-D", "-f", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (text: string) => (stderr += text));
  try {
    await waitForPort(port, child, 10_000);
  } catch (error) {
    child.kill("SIGKILL");
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
