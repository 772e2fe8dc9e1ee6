/**
 * A keep-alive load client for the shutdown tests: `connections` clients, each sending request after
 * request over one pooled keep-alive agent until the server refuses a new connection. A request
 * that fails after it was sent (a reset, a hang-up) is counted as lost.
 */
import { Agent, request } from "node:http";

export interface LoadOutcome {
  answered: number;
  /** Answers with `Connection: close`. */
  closes: number;
  /** Codes of the requests that failed after being sent on a connection the server had served. */
  lost: string[];
  /** New connections refused (nothing sent on them). */
  refused: number;
  /**
   * New connections reset before any answer: accepted by the kernel (or a cluster primary) as the
   * listener closed, so no worker ever saw their request (the existing cluster tests count them
   * with the refused ones). The request was sent: a client may retry it only if it is idempotent.
   */
  resetNew: number;
}

export interface Load {
  outcome: LoadOutcome;
  /** Resolves when every client has stopped. */
  done: Promise<void>;
}

/**
 * Starts the load on 127.0.0.1:`port`; `path` is requested over and over.
 *
 * @example
 * ```ts
 * const load = keepAliveLoad(port, "/?sleep=5", 100);
 * ```
 */
export function keepAliveLoad(port: number, path: string, connections: number, limit = 20_000): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const outcome: LoadOutcome = { answered: 0, closes: 0, lost: [], refused: 0, resetNew: 0 };
  const one = () =>
    new Promise<boolean>((resolve) => {
      const req = request({ port, host: "127.0.0.1", path, agent }, (res) => {
        res.resume();
        res.on("end", () => {
          outcome.answered++;
          if (res.headers.connection === "close") outcome.closes++;
          resolve(true);
        });
        res.on("error", (error: Error & { code?: string }) => {
          outcome.lost.push(error.code ?? error.message);
          resolve(false);
        });
      });
      req.on("error", (error: Error & { code?: string }) => {
        if (error.code === "ECONNREFUSED") outcome.refused++;
        else if (error.code === "ECONNRESET" && !req.reusedSocket) outcome.resetNew++;
        else outcome.lost.push(`${error.code ?? error.message}${req.reusedSocket ? " (reused)" : " (new)"}`);
        resolve(false);
      });
      req.end();
    });
  const client = async () => {
    for (let i = 0; i < limit; i++) if (!(await one())) return;
  };
  const done = Promise.all(Array.from({ length: connections }, client)).then(() => agent.destroy());
  return { outcome, done };
}
