/**
 * The conformance apps as a Worker: what `wrangler dev` and the workerd tests run. Events (Cron
 * Triggers, Queues) reach `events`, which reports them on tsgi.errors so the tests can see them.
 */
import { createWorker } from "../../adapters/cloudflare.ts";
import type { App } from "../../core/index.ts";
import { bytesToLatin1 } from "../../core/index.ts";
import { dispatch } from "../conformance/apps.ts";

/** Logs the event it got; a queue message whose body asks to fail gets a 503 (the batch is retried). */
const events: App = async (environ, startResponse) => {
  const body = bytesToLatin1(await environ["tsgi.input"].read());
  const event = environ["tsgi.event"];
  const errors = environ["tsgi.errors"];
  errors.write(
    `tsgi-event ${event?.source} ${environ.REQUEST_METHOD} ${environ.PATH_INFO} ${environ.CONTENT_TYPE} ${body}\n`,
  );
  environ["tsgi.wait_until"](Promise.resolve().then(() => errors.write(`tsgi-event wait_until ran\n`)));
  const fail = body.includes('"fail"');
  startResponse(fail ? "503 Service Unavailable" : "204 No Content", []);
  return [];
};

export const app: App = (environ, startResponse) =>
  environ["tsgi.event"] ? events(environ, startResponse) : dispatch(environ, startResponse);

export default createWorker(app);
