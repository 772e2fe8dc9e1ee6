/**
 * Requests Node's HTTP parser refuses before (or while) the app sees them: malformed requests
 * (`clientError`), `CONNECT`, and an `Expect` other than `100-continue`. Each is answered as bare
 * node:http answers it, wherever an answer can still be sent, and each leaves one log line saying
 * what was sent.
 * @module
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { gatewayAnswer } from "../../core/gateway.ts";
import type { ErrorStream } from "../../core/gateway.ts";

/** The status Node's own default handler answers a parser error with (node:_http_server). */
function statusOf(code: string | undefined): number {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return 431;
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return 413;
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return 408;
    default:
      return 400;
  }
}

/** The response in progress on a socket, as node:http keeps it. */
interface PendingMessage {
  /** The head went out on the socket (not merely built). */
  _headerSent?: boolean;
  /** Set here: the response was answered by the gateway in the app's place (see mapping.ts). */
  tsgiRefused?: boolean;
}

function peerOf(socket: Duplex): string {
  const s = socket as Duplex & { remoteAddress?: string; remotePort?: number };
  return s.remoteAddress === undefined ? "?" : `${s.remoteAddress}:${s.remotePort ?? "?"}`;
}

/**
 * Sends the gateway's answer for `status` on the raw socket and closes the connection once it is
 * flushed. FIN first (`end`), so that the client reads the answer before the connection goes away.
 * Empty, as bare node:http answers. Returns the status line sent, for the log.
 */
function answer(socket: Duplex, status: number): string {
  const { head, body } = gatewayAnswer(status, { empty: true });
  let text = `HTTP/1.1 ${head.status} ${head.reason}\r\n`;
  for (const [name, value] of head.headers) text += `${name}: ${value}\r\n`;
  const wire = Buffer.concat([Buffer.from(`${text}Connection: close\r\n\r\n`, "latin1"), body]);
  socket.end(wire, () => socket.destroy());
  // A client that never closes its side must not hold the socket.
  (socket as Duplex & { setTimeout?: (ms: number, cb: () => void) => void }).setTimeout?.(5000, () =>
    socket.destroy(),
  );
  return `${head.status} ${head.reason}`;
}

/**
 * Installs the refusal handlers on `server`.
 *
 * - `clientError`: answered 400, 408, 413 or 431 (as bare node:http does) when the socket can still
 *   carry it: no response on it yet, or the one in progress has not sent its head (a bad chunk in
 *   the body of the request the app is serving, a bad request pipelined behind it); that response is
 *   then dropped. Otherwise the connection is closed, and the log says so.
 * - `CONNECT`: answered `501 Not Implemented` (a tsgi app is an origin server, not a proxy).
 * - `Expect` other than `100-continue`: answered `417 Expectation Failed`; the app is not called.
 * - A client that half-closes its side after sending its requests is still answered.
 *
 * @example
 * ```ts
 * const server = createServer(listener);
 * handleRefusals(server, errors);
 * ```
 */
export function handleRefusals(server: Server, errors: ErrorStream): void {
  // A client that half-closes after its request (`printf ... | nc -N`, some proxies) still gets its
  // answers: by default Node aborts the request and ends the socket on the client's FIN, dropping a
  // response the app is still working on. The socket is ended after the last response instead.
  (server as Server & { httpAllowHalfOpen?: boolean }).httpAllowHalfOpen = true;
  const handled = new WeakSet<Duplex>();
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    // Writing our answer may fail again on the same socket: one line per connection.
    if (handled.has(socket)) {
      socket.destroy();
      return;
    }
    handled.add(socket);
    const what = error.code ?? error.message;
    // A client that hung up (keep-alive connections closed by a load tool) sent nothing malformed.
    if (error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const pending = (socket as Duplex & { _httpMessage?: PendingMessage | null })._httpMessage;
    let outcome: string;
    if (!socket.writable) {
      outcome = "the connection was already closed: nothing sent";
      socket.destroy();
    } else if (pending?._headerSent) {
      outcome = "a response was already under way: connection closed, response cut off";
      socket.destroy();
    } else {
      if (pending) pending.tsgiRefused = true;
      const status = answer(socket, statusOf(error.code));
      outcome = pending
        ? `answered ${status} in place of the response in progress, connection closed`
        : `answered ${status}, connection closed`;
    }
    // headersTimeout and requestTimeout reach here too: a slow client, not a malformed request.
    const kind = error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "request timed out" : "malformed request";
    errors.write(`tsgi: ${kind} from ${peerOf(socket)}: ${what}; ${outcome}\n`);
  });

  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    errors.write(
      `tsgi: refused CONNECT ${JSON.stringify(req.url)} from ${peerOf(socket)}: answered 501 Not Implemented\n`,
    );
    socket.on("error", () => socket.destroy());
    answer(socket, 501);
  });

  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    errors.write(
      `tsgi: refused ${req.method} ${JSON.stringify(req.url)} from ${peerOf(req.socket)}: ` +
        `Expect ${JSON.stringify(req.headers.expect)} cannot be met; answered 417 Expectation Failed\n`,
    );
    const { head, body } = gatewayAnswer(417, { empty: true });
    res.writeHead(head.status, head.reason, head.headers.flat());
    res.end(body);
  });
}
