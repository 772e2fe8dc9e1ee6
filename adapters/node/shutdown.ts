/**
 * Graceful shutdown without lost requests on keep-alive connections. Once `close()` begins, every
 * response whose head is not yet out says `Connection: close`; a connection that is idle is not
 * cut at once (the client's next request may already be on its way: node:http's own
 * `server.close()` closes idle sockets at once, which is where requests got lost), but given a
 * grace period in which a request that arrives is still served, with `Connection: close`; a
 * connection still idle after it is closed.
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

/** One connection: how many of its responses are in progress, and since when it has been idle. */
interface Connection {
  active: number;
  idleSince: number;
}

/**
 * How long a connection idle at shutdown (or idle since its last response) stays open for a
 * request the client may already have sent. A client's next request follows the previous response
 * by a round trip; past this, an idle keep-alive connection is closed, as at its keep-alive timeout.
 */
export const IDLE_GRACE = 1000;

/**
 * Tracks the connections and the responses in progress on `server`.
 *
 * @example
 * ```ts
 * const tracker = trackConnections(server);
 * server.on("request", (req, res) => tracker.request(req, res));
 * await tracker.drain(10_000);
 * ```
 */
export function trackConnections(server: Server, grace = IDLE_GRACE): ConnectionTracker {
  return new ConnectionTracker(server, grace);
}

export class ConnectionTracker {
  readonly #server: Server;
  readonly #grace: number;
  readonly #connections = new Map<Socket, Connection>();
  readonly #responses = new Set<ServerResponse>();
  #closing = false;
  #wake: (() => void) | undefined;

  constructor(server: Server, grace: number) {
    this.#server = server;
    this.#grace = grace;
    server.on("connection", (socket: Socket) => {
      this.#connections.set(socket, { active: 0, idleSince: Date.now() });
      socket.once("close", () => {
        this.#connections.delete(socket);
        this.#wake?.();
      });
    });
  }

  /** Whether close() has begun. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Called for every request before the app runs. */
  request(req: IncomingMessage, res: ServerResponse): void {
    const connection = this.#connections.get(req.socket as Socket);
    if (connection) connection.active++;
    this.#responses.add(res);
    // A response finishing during shutdown ends its connection instead of keeping it alive.
    if (this.#closing) res.shouldKeepAlive = false;
    res.once("close", () => {
      this.#responses.delete(res);
      if (connection) {
        connection.active--;
        connection.idleSince = Date.now();
      }
      this.#wake?.();
    });
  }

  /**
   * Stops accepting connections and waits until every connection has closed: each closes itself
   * after its next response (`Connection: close`), or after {@link IDLE_GRACE} of idleness. At
   * `timeout` the rest are cut. Resolves true when everything closed in time.
   */
  async drain(timeout: number): Promise<boolean> {
    this.#closing = true;
    for (const res of this.#responses) if (!res.headersSent) res.shouldKeepAlive = false;
    // net.Server's close, not http.Server's: that one also closes idle connections at once.
    const stopped = new Promise<void>((resolve) =>
      NetServer.prototype.close.call(this.#server, () => resolve()),
    );
    const deadline = Date.now() + timeout;
    while (this.#connections.size > 0 && Date.now() < deadline) {
      const now = Date.now();
      let next = deadline;
      for (const [socket, connection] of this.#connections) {
        if (connection.active > 0) continue;
        const closeAt = connection.idleSince + this.#grace;
        if (closeAt <= now) socket.destroy();
        else next = Math.min(next, closeAt);
      }
      if (this.#connections.size === 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, next - now));
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    const drained = this.#connections.size === 0;
    for (const socket of this.#connections.keys()) socket.destroy();
    await stopped;
    return drained;
  }
}
