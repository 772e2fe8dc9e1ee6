/** The shapes every peer module exports, so the workers can treat them alike. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** A Lambda handler as the Node.js runtime calls it. */
export type LambdaHandlerLike = (event: never, context: never) => Promise<unknown>;

/** A Lambda peer: factories, so a bundle of `hello` leaves `echo` out. */
export interface LambdaPeer {
  hello(): LambdaHandlerLike;
  echo(): LambdaHandlerLike;
}

/** A Fetch peer. */
export interface FetchPeer {
  hello(): (request: Request) => Promise<Response> | Response;
  echo(): (request: Request) => Promise<Response> | Response;
}

/** What a Node server peer serves: `hello`, or `stream` (1 GiB in 64 KiB chunks). */
export type ServerApp = "hello" | "stream";

/** A Node server peer: starts listening on 127.0.0.1 on a free port. */
export interface ServerPeer {
  start(app: ServerApp): Promise<{ port: number }>;
}

/** A plain node:http listener, the app serverless-http and serverless-express are given. */
export type Listener = (req: IncomingMessage, res: ServerResponse) => void;
