/**
 * The hello example: the smallest tsgi app, wrapped in a middleware in the style of PEP 3333's
 * examples (it adds a header and reports the time the app took to tsgi.errors).
 * @module
 */
import type { App, Body, Middleware } from "tsgi";
import { closing, latin1ToUtf8 } from "tsgi";

const encoder = new TextEncoder();

/** Answers every request with a greeting naming the path it was asked for. */
export const hello: App = (environ, startResponse) => {
  const path = latin1ToUtf8(environ.PATH_INFO) || "/";
  const text = `Hello from tsgi! You asked for ${path}\n`;
  startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
  return [encoder.encode(text)];
};

/** Adds `X-Powered-By` and logs how long the wrapped app took, once its body is closed. */
export const timing: Middleware = (app) => async (environ, startResponse) => {
  const started = performance.now();
  const body: Body = await app(environ, (status, headers, excInfo) =>
    startResponse(status, [...headers, ["X-Powered-By", "tsgi"]], excInfo),
  );
  return closing(body, () => {
    const ms = (performance.now() - started).toFixed(2);
    environ["tsgi.errors"].write(
      `${environ.REQUEST_METHOD} ${latin1ToUtf8(environ.PATH_INFO)} took ${ms} ms\n`,
    );
  });
};

/** The hello app as deployed: wrapped in the timing middleware. */
export const app: App = timing(hello);
export default app;
