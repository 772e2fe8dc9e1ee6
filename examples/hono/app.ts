/**
 * The Hono example: an ordinary Hono app, written for Hono alone. It knows nothing of tsgi; the
 * entries beside it (node.ts, lambda.ts, worker.ts) run it through `fromFetch` on each platform.
 * @module
 */
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { stream } from "hono/streaming";

/** Every byte value once: the download must arrive byte-exact, whatever the platform. */
export const DOWNLOAD = Uint8Array.from({ length: 256 }, (_, i) => i);

export const app = new Hono();

app.get("/", (c) => c.text("Hello from Hono!\n"));

app.get("/hello/:name", (c) => c.json({ hello: c.req.param("name"), url: c.req.url }));

app.post("/login", (c) => {
  setCookie(c, "session", "s3cr3t", { path: "/", httpOnly: true });
  setCookie(c, "theme", "dark", { path: "/" });
  return c.json({ ok: true });
});

app.get("/me", (c) =>
  c.json({ session: getCookie(c, "session") ?? null, theme: getCookie(c, "theme") ?? null }),
);

app.get("/download", (c) =>
  c.body(DOWNLOAD.slice(), 200, {
    "Content-Type": "application/octet-stream",
    "Content-Disposition": 'attachment; filename="bytes.bin"',
  }),
);

/** Reads the upload as a stream, chunk by chunk, and reports its size and a checksum. */
app.post("/upload", async (c) => {
  const body = c.req.raw.body;
  let bytes = 0;
  let sum = 0;
  if (body) {
    for await (const chunk of body) {
      bytes += chunk.byteLength;
      for (const byte of chunk) sum = (sum + byte) % 65521;
    }
  }
  return c.json({ bytes, sum });
});

app.get("/stream", (c) =>
  stream(c, async (out) => {
    for (const part of ["one\n", "two\n", "three\n"]) {
      await out.write(part);
      await out.sleep(5);
    }
  }),
);

/** What the platform handed over, in Hono's own conventions (c.env on Lambda and Workers). */
app.get("/platform", (c) => {
  const env = (c.env ?? {}) as {
    lambdaContext?: { awsRequestId?: string };
    event?: unknown;
    GREETING?: string;
  };
  return c.json({
    lambdaRequestId: env.lambdaContext?.awsRequestId ?? null,
    lambdaEvent: env.event !== undefined,
    greeting: env.GREETING ?? null,
  });
});

export default app;
