#!/usr/bin/env node
/**
 * The `tsgi` command's launcher, plain JavaScript so that any node can start it (npx runs whatever
 * `node` is first on PATH, maybe one that cannot run TypeScript). Installed from npm it runs the
 * built CLI; in a checkout, the TypeScript sources, with a node that strips types (this one if it can, else
 * the project's own from the `node` package) and the `source` export condition, so that modules
 * importing "tsgi" resolve to its .ts sources.
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);

if (args[0] === "--version" || args[0] === "-v") {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`tsgi ${manifest.version}\n`);
  process.exit(0);
}

// The library runs on Node 20.19 and later (from there `require()` loads its ES modules too).
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `tsgi: needs Node >= 20.19 (and >= 22.18 to serve TypeScript modules, which it runs by stripping types); this is Node ${process.version}\n`,
  );
  process.exit(1);
}

const built = fileURLToPath(new URL("../dist/bin/cli.js", import.meta.url));
const source = fileURLToPath(new URL("./cli.ts", import.meta.url));

/** Node strips types by default from 22.18 and 23.6 (`process.features.typescript`). */
function stripsTypes() {
  return Boolean(process.features.typescript);
}

/** A node binary that runs TypeScript: this one, or the `node` devDependency's. */
function typeScriptNode() {
  if (stripsTypes()) return process.execPath;
  try {
    return createRequire(import.meta.url).resolve("node/bin/node");
  } catch {
    return undefined;
  }
}

// The built CLI in a published package (no sources ship); in a checkout always the sources, which a
// dist/ from an earlier build may lag behind.
if (!existsSync(source)) {
  await import(pathToFileURL(built).href);
} else {
  const node = typeScriptNode();
  if (!node) {
    process.stderr.write(
      `tsgi: this node (${process.version}) cannot run TypeScript; use node >= 22.18, or run npm install in the tsgi checkout\n`,
    );
    process.exit(1);
  }
  const env = { ...process.env };
  if (args[0] === "cgi") {
    // process.env decoded the CGI variables as UTF-8; hand the child the raw bytes (see tsgi/cgi).
    try {
      env.TSGI_RAW_ENVIRON = readFileSync("/proc/self/environ").toString("base64");
    } catch {
      // Not Linux: the child reads its own environment.
    }
  }
  const child = spawn(node, ["--conditions=source", source, ...args], { stdio: "inherit", env });
  // SIGTERM (from a process manager) goes to the child; SIGINT from a terminal reaches the whole
  // process group, the child included, so it is not sent twice.
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  process.on("SIGINT", () => {});
  child.on("exit", (code, signal) => {
    process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
  });
}
