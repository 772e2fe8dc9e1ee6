/**
 * Seeded raw HTTP/1.1 request streams for the fuzzer: one to three requests per connection, each
 * built from a grammar of the things that break parsers (framing, chunk syntax, line endings, Host,
 * methods, targets, pipelining), with every choice drawn from one seeded generator, so a case is
 * replayed exactly from its seed and index.
 * @module
 */
import { seededRandom } from "../support/random.ts";

/** One fuzz case: the bytes sent on one connection, and the tag of each request in it. */
export interface FuzzCase {
  index: number;
  /** What was drawn, for the report of a failing case. */
  summary: string[];
  bytes: Buffer;
  /** `r<index>-<n>`: the app echoes the tag it sees, so a response is matched to its request. */
  tags: string[];
  /** The method of each request (a HEAD response has no body to read). */
  methods: string[];
}

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Rand, p: number) => r() < p;

const METHODS = [
  "GET",
  "GET",
  "POST",
  "POST",
  "PUT",
  "HEAD",
  "DELETE",
  "OPTIONS",
  "FROBNICATE",
  "get",
  "G=T",
];
const VERSIONS = ["HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.x", "HTTP/01.1"];
const HOSTS = [
  "example.test",
  "example.test:8080",
  "[::1]:80",
  'a"><svg>',
  "evil.test\\good.test",
  "caf\u00e9.test",
  "a.test, b.test",
  "",
  "{dns_suffix}",
  "host:99999",
  "host:x",
];
const TRANSFER = [
  "chunked",
  "chunked",
  "gzip",
  "identity",
  '"chunked"',
  "gzip, chunked",
  "chunked, gzip",
  "Chunked",
  "chunked ",
];
const EXPECT = ["100-continue", "bogus", "100-Continue"];

/** A chunked body, perhaps malformed: bad sizes, extensions, line endings, trailers. */
function chunked(r: Rand, body: string, summary: string[]): string {
  let out = "";
  const eol = chance(r, 0.1) ? (summary.push("chunk-lf"), "\n") : "\r\n";
  let size = body.length.toString(16);
  if (chance(r, 0.1)) {
    size = pick(r, ["zz", "-1", "0x3", " 3", "FFFFFFFFFFFFFFFFF", `${size} `, "1"]);
    summary.push(`chunk-size(${size})`);
  }
  let ext = "";
  if (chance(r, 0.1)) {
    ext = pick(r, [";a=b", ';a="\u0001"', ";" + "x".repeat(20_000), "; a = b", ";"]);
    summary.push(`chunk-ext(${ext.length})`);
  }
  if (body.length) out += `${size}${ext}${eol}${body}${eol}`;
  if (chance(r, 0.08)) {
    summary.push("chunk-truncated");
    return out;
  }
  out += `0${eol}`;
  if (chance(r, 0.1)) {
    const trailer = pick(r, ["Content-Length: 5", "X-T: 1", "Transfer-Encoding: chunked", "bad trailer"]);
    summary.push(`trailer(${trailer})`);
    out += `${trailer}${eol}`;
  }
  return out + eol;
}

/** One request: its head and body, with the framing chosen to match or (sometimes) not. */
function request(r: Rand, tag: string, summary: string[], methods: string[]): string {
  const method = chance(r, 0.1) ? pick(r, METHODS) : pick(r, ["GET", "POST"]);
  methods.push(method);
  const version = chance(r, 0.08) ? pick(r, VERSIONS) : "HTTP/1.1";
  let target = `/${tag}`;
  if (chance(r, 0.1)) {
    target = pick(r, [
      `http://abs.test:81/${tag}`,
      `/${tag}?q=%zz+1`,
      `/${tag}/%2e%2e/x`,
      `/${tag}/\u00ff`,
      `*`,
      `/${tag} x`,
      `//${tag}`,
      `/__tsgi/%73cheduled/${tag}`,
    ]);
    summary.push(`target(${target})`);
  }
  const eol = chance(r, 0.03) ? (summary.push("head-lf"), "\n") : "\r\n";
  const headers: string[] = [];
  if (!chance(r, 0.05)) headers.push(`Host: ${chance(r, 0.12) ? pick(r, HOSTS) : "example.test"}`);
  else summary.push("no-host");
  if (chance(r, 0.03)) {
    headers.push(`Host: other.test`);
    summary.push("two-hosts");
  }
  const body = method === "POST" || chance(r, 0.1) ? "x".repeat(Math.floor(r() * 40)) : "";
  const framing = chance(r, 0.7) ? "length" : chance(r, 0.6) ? "chunked" : "none";
  let payload = "";
  if (framing === "length" && (body.length || method === "POST")) {
    let length = String(body.length);
    if (chance(r, 0.1)) {
      length = pick(r, [
        String(body.length + 5),
        "-1",
        "abc",
        `${body.length}, ${body.length}`,
        "99999999999999999999",
        `0${body.length}`,
      ]);
      summary.push(`content-length(${length})`);
    }
    headers.push(`Content-Length: ${length}`);
    if (chance(r, 0.03)) {
      headers.push(`Content-Length: ${body.length + 1}`);
      summary.push("two-lengths");
    }
    payload = body;
    if (chance(r, 0.05)) {
      payload = body.slice(0, Math.floor(body.length / 2));
      summary.push("body-truncated");
    }
  } else if (framing === "chunked") {
    const te = chance(r, 0.2) ? pick(r, TRANSFER) : "chunked";
    if (te !== "chunked") summary.push(`te(${te})`);
    headers.push(`Transfer-Encoding: ${te}`);
    if (chance(r, 0.05)) {
      headers.push(`Content-Length: ${body.length}`);
      summary.push("te+cl");
    }
    payload = chunked(r, body, summary);
  }
  if (chance(r, 0.04)) {
    const expect = pick(r, EXPECT);
    headers.push(`Expect: ${expect}`);
    summary.push(`expect(${expect})`);
  }
  if (chance(r, 0.04)) {
    const bad = pick(r, [
      "X-Bad: a\u0000b",
      "X Bad: 1",
      "X-Fold: a\r\n b",
      "X-Long: " + "y".repeat(20_000),
      ": empty",
      "X_Under: 1",
    ]);
    headers.push(bad);
    summary.push(`header(${bad.slice(0, 12)})`);
  }
  if (chance(r, 0.02)) {
    headers.push(`X-Many: 1${eol}`.repeat(120).slice(0, -eol.length));
    summary.push("many-headers");
  }
  summary.push(`${method} ${framing}`);
  return `${method} ${target} ${version}${eol}${headers.join(eol)}${headers.length ? eol : ""}${eol}${payload}`;
}

/**
 * The case at `index` of the stream seeded with `seed`: one to three requests sent back to back
 * on one connection (pipelined), sometimes with the method of a CONNECT tunnel.
 *
 * @example
 * ```ts
 * const c = fuzzCase(1, 0); // the same bytes on every run
 * ```
 */
export function fuzzCase(seed: number, index: number): FuzzCase {
  const r = seededRandom((seed * 1_000_003 + index) >>> 0);
  const count = chance(r, 0.75) ? 1 : chance(r, 0.6) ? 2 : 3;
  const tags: string[] = [];
  const methods: string[] = [];
  const summary: string[] = [];
  let text = "";
  for (let n = 0; n < count; n++) {
    const tag = `r${index}-${n}`;
    tags.push(tag);
    if (chance(r, 0.01)) {
      text += `CONNECT ${tag}.test:443 HTTP/1.1\r\nHost: ${tag}.test:443\r\n\r\n`;
      summary.push("CONNECT");
      methods.push("CONNECT");
    } else text += request(r, tag, summary, methods);
  }
  return { index, summary, bytes: Buffer.from(text, "latin1"), tags, methods };
}
