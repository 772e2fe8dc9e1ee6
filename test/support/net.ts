/** Network helpers the tests share. */
import { connect, createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (closed again before the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Sends raw bytes to 127.0.0.1:`port` (then half-closes when asked) and resolves with everything
 * received until the server closes the connection or `ms` pass.
 */
export function exchange(
  port: number,
  data: string,
  options: { halfClose?: boolean; ms?: number } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("connect", () => {
      socket.write(data, "latin1");
      if (options.halfClose) socket.end();
    });
    socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
    const done = () => resolve(received);
    socket.on("close", done);
    socket.on("error", done);
    setTimeout(() => {
      socket.destroy();
      done();
    }, options.ms ?? 400);
  });
}
