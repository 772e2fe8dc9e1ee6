/**
 * The `tsgi` command: `tsgi serve <module>[:export]` serves an app with tsgi/node (one process or
 * preforked workers), `tsgi cgi <module>[:export]` runs it as a CGI script. The module is loaded
 * with `import()`, so TypeScript modules load directly (node's type stripping).
 * @module
 */
import { spawn } from "node:child_process";
import cluster from "node:cluster";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runCgi } from "../adapters/cgi.ts";
import { serve } from "../adapters/node.ts";
import { TsgiError } from "../core/index.ts";
import type { App } from "../core/index.ts";

const USAGE = `Usage:
  tsgi serve <module>[:export] [--port 8000] [--host 127.0.0.1] [--workers N] [--reload] [--no-access-log]
  tsgi cgi <module>[:export] [--script-name PATH]
  tsgi --version

<module> is a file exporting an app, (environ, startResponse) => body: the default export,
or the one named after the colon (app.ts:api), as gunicorn's module:app.
`;

/**
 * A usage or loading problem, told to the user in one line (no stack trace).
 *
 * @example
 * ```ts
 * throw new CliError("module ./app.ts has no export 'api'");
 * ```
 */
class CliError extends TsgiError {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super("TSGI_CLI", message);
    this.exitCode = exitCode;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Splits `path[:export]`; a colon is read as the export separator only before an identifier, so
 * paths with colons still load.
 *
 * @example
 * ```ts
 * parseTarget("app.ts:api"); // { path: "app.ts", name: "api" }
 * ```
 */
function parseTarget(target: string): { path: string; name: string } {
  const colon = target.lastIndexOf(":");
  if (colon > 0 && IDENTIFIER.test(target.slice(colon + 1))) {
    return { path: target.slice(0, colon), name: target.slice(colon + 1) };
  }
  return { path: target, name: "default" };
}

/**
 * Loads the app named by `target` relative to the working directory. Throws {@link CliError}
 * for a missing module, a missing export, or an export that is not a function.
 *
 * @example
 * ```ts
 * const app = await loadApp("examples/hello/app.ts");
 * ```
 */
async function loadApp(target: string): Promise<App> {
  const { path, name } = parseTarget(target);
  const file = resolve(path);
  if (!existsSync(file)) throw new CliError(`cannot find module ${path} (looked for ${file})`);
  if (statSync(file).isDirectory()) {
    const inside = ["app.ts", "app.js", "app.mjs", "index.ts", "index.js"].find((f) =>
      existsSync(resolve(file, f)),
    );
    const hint = inside ? `, e.g. ${path.replace(/\/$/, "")}/${inside}` : " inside it";
    throw new CliError(`${path} is a directory: name the module file that exports the app${hint}`);
  }
  if (/\.[mc]?ts$/.test(file) && !process.features.typescript) {
    throw new CliError(
      `${path} is TypeScript: loading it needs Node >= 22.18 (or 23.6), which runs TypeScript by stripping its types; this is Node ${process.version}`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`could not load module ${path}: ${loadFailure(error)}`);
  }
  if (!(name in module) || module[name] === undefined) {
    const exports = Object.keys(module).filter((key) => module[key] !== undefined);
    const listed = exports.length ? exports.join(", ") : "nothing";
    const hint = name === "default" ? "; name the app after a colon: module.ts:app" : "";
    throw new CliError(
      `module ${path} has no ${name === "default" ? "default export" : `export '${name}'`} (it exports ${listed})${hint}`,
    );
  }
  const app = module[name];
  if (typeof app !== "function") {
    const type = typeof app;
    const kind =
      app === null
        ? "null"
        : Array.isArray(app)
          ? "an array"
          : `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
    throw new CliError(
      `export '${name}' of ${path} is ${kind}, not an app function (environ, startResponse) => body`,
    );
  }
  return app as App;
}

/**
 * Why a module failed to load, in one line: syntax Node's type stripping cannot run (enum,
 * namespace, parameter properties) says what to change; other syntax errors say where; an error
 * thrown while the module ran keeps its stack (the app's own bug, where a trace helps).
 */
function loadFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: string }).code;
  // A syntax error's stack starts with "file:line" (Node puts the location there, not in the message).
  const where = /^(?:file:\/\/)?(\/[^\n]*?:\d+)\n/.exec(error.stack ?? "")?.[1];
  const at = where ? ` (${where})` : "";
  if (code === "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX") {
    return `${error.message}${at}: Node runs TypeScript by erasing types, so use only erasable syntax (an enum becomes a const object, a namespace a module)`;
  }
  if (code === "ERR_UNKNOWN_FILE_EXTENSION") {
    return `${error.message}: this Node (${process.version}) cannot run TypeScript; use Node >= 22.18`;
  }
  if (error instanceof SyntaxError) return `${error.name}: ${error.message}${at}`;
  return `\n${error.stack ?? error.message}`;
}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new CliError(`--port must be 0-65535, got ${value}`, 2);
  return port;
}

async function serveCommand(
  target: string,
  values: Record<string, string | boolean | undefined>,
  argv: string[],
) {
  const envPort = process.env.PORT;
  if (values.port === undefined && envPort !== undefined && !/^\d+$/.test(envPort)) {
    throw new CliError(`PORT must be a port number from 0 to 65535, got ${JSON.stringify(envPort)}`, 2);
  }
  const port = parsePort(values.port as string | undefined, Number(envPort ?? 8000));
  const hostname = (values.host as string | undefined) ?? process.env.HOST ?? "127.0.0.1";
  const count = values.workers as string | undefined;
  if (count !== undefined && !/^[1-9]\d*$/.test(count)) {
    throw new CliError(`--workers must be a whole number of at least 1, got ${count}`, 2);
  }
  if (values.reload && process.env.TSGI_RELOAD_CHILD === undefined) {
    if (count !== undefined) throw new CliError("--reload runs one process: leave out --workers", 2);
    return reload(argv);
  }
  let app: App;
  try {
    app = await loadApp(target);
  } catch (error) {
    if (process.env.TSGI_RELOAD_CHILD !== undefined && error instanceof CliError) {
      throw new CliError(`${error.message}; stopped serving until a file changes`, error.exitCode);
    }
    throw error;
  }
  const accessLog = !values["no-access-log"];
  try {
    const handle =
      count === undefined
        ? await serve(app, { port, hostname, signals: true, accessLog })
        : await serve(app, { port, hostname, workers: Number(count), accessLog });
    if (cluster.isPrimary) {
      const mode = count === undefined ? "" : ` with ${count} worker${count === "1" ? "" : "s"}`;
      process.stderr.write(`tsgi: serving ${target} on ${handle.url}${mode} (Ctrl-C to stop)\n`);
    }
  } catch (error) {
    if (error instanceof Error && /already in use/.test(error.message)) {
      throw new CliError(`${error.message}; choose another with --port`);
    }
    throw error;
  }
}

/**
 * `tsgi serve --reload`: the same command under `node --watch`, which restarts it when a file of
 * the app's module graph changes. A version that fails to load stops the server (it says so) until
 * the next change.
 */
function reload(argv: string[]): Promise<void> {
  const args = argv.filter((arg) => arg !== "--reload");
  process.stderr.write("tsgi: --reload: restarting when a file the app loads changes (node --watch)\n");
  const child = spawn(
    process.execPath,
    [...process.execArgv, "--watch", "--watch-preserve-output", process.argv[1]!, ...args],
    { stdio: "inherit", env: { ...process.env, TSGI_RELOAD_CHILD: "1" } },
  );
  // node --watch stops its child on SIGTERM and SIGINT; pass them on and leave with its exit code.
  for (const signal of ["SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  process.on("SIGINT", () => {});
  return new Promise(() => {
    child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  });
}

async function cgiCommand(target: string, values: Record<string, string | boolean | undefined>) {
  let app: App;
  try {
    app = await loadApp(target);
  } catch (error) {
    // The server shows the client a plain 500 instead of "premature end of script headers".
    process.stdout.write("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n500\n");
    throw error;
  }
  const scriptName = values["script-name"] as string | undefined;
  process.exit(await runCgi(app, scriptName === undefined ? {} : { scriptName }));
}

/**
 * Runs the command line `argv` (without node and the script).
 *
 * @example
 * ```ts
 * await main(["serve", "examples/hello/app.ts", "--workers", "2"]);
 * ```
 */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      workers: { type: "string", short: "w" },
      "script-name": { type: "string" },
      reload: { type: "boolean" },
      "no-access-log": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, target, ...rest] = positionals;
  if (values.help || command === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (!command || !target || rest.length) throw new CliError(`expected a command and a module\n${USAGE}`, 2);
  if (command === "serve") await serveCommand(target, values, argv);
  else if (command === "cgi") await cgiCommand(target, values);
  else throw new CliError(`unknown command ${command}\n${USAGE}`, 2);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof Error && "code" in error && error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION";
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tsgi: ${usage ? `${message}\n${USAGE}` : message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : usage ? 2 : 1);
}
