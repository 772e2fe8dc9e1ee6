/**
 * The examples' user stories as tables of steps, run in order against one fresh app per platform
 * (Node over sockets, workerd, the Lambda handler).
 * @module
 */
import { expect } from "vitest";
import type { TestRequest, TestResponse } from "../conformance/types.ts";

export interface Step {
  name: string;
  request: TestRequest;
  status: number;
  /** The parsed JSON body must equal this. */
  json?: unknown;
  contains?: string[];
  excludes?: string[];
  /** Response headers that must be present with these values (names case-insensitive). */
  headers?: Array<[string, string]>;
  /** Every Set-Cookie value, each separate, in order. */
  cookies?: string[];
  /** The exact body bytes. */
  bytes?: Uint8Array;
}

const HOST: [string, string] = ["Host", "example.com"];
const enc = new TextEncoder();
const req = (
  method: string,
  target: string,
  body?: string,
  headers: Array<[string, string]> = [],
): TestRequest => {
  const h: Array<[string, string]> = [HOST, ...headers];
  if (body !== undefined)
    h.push(["Content-Type", "application/json"], ["Content-Length", String(enc.encode(body).byteLength)]);
  return body === undefined
    ? { method, target, headers: h }
    : { method, target, headers: h, body: enc.encode(body) };
};

const SNIFFLES = {
  sniffles: [
    { name: "Bert", rank: "private" },
    { name: "Ernie", rank: "captain" },
  ],
  count: 2,
};

export const helloStories: Step[] = [
  {
    name: "greets, naming the path asked for",
    request: req("GET", "/caf%C3%A9?x=1"),
    status: 200,
    contains: ["Hello from tsgi! You asked for /café"],
    headers: [
      ["content-type", "text/plain; charset=utf-8"],
      ["x-powered-by", "tsgi"],
    ],
  },
  { name: "HEAD has no body", request: req("HEAD", "/"), status: 200, headers: [["x-powered-by", "tsgi"]] },
];

export const jsonStoreStories: Step[] = [
  { name: "nothing stored yet is a 404", request: req("GET", "/"), status: 404 },
  {
    name: "store a document at the root",
    request: req("PUT", "/", JSON.stringify(SNIFFLES)),
    status: 200,
    json: SNIFFLES,
  },
  { name: "read the whole document", request: req("GET", "/"), status: 200, json: SNIFFLES },
  { name: "read a sub-part by key", request: req("GET", "/sniffles/"), status: 200, json: SNIFFLES.sniffles },
  {
    name: "read a sub-part by index",
    request: req("GET", "/sniffles/0"),
    status: 200,
    json: SNIFFLES.sniffles[0],
  },
  {
    name: "modify a sub-part",
    request: req("PUT", "/sniffles/0/rank", '"sniffle chief"'),
    status: 200,
    json: "sniffle chief",
  },
  {
    name: "the change shows",
    request: req("GET", "/sniffles/0"),
    status: 200,
    json: { name: "Bert", rank: "sniffle chief" },
  },
  {
    name: "append to an array at its length",
    request: req("PUT", "/sniffles/2", '{"name":"Grover"}'),
    status: 200,
  },
  { name: "unicode keys and values survive", request: req("PUT", "/caf%C3%A9", '"naïve ☃"'), status: 200 },
  { name: "read the unicode key", request: req("GET", "/caf%C3%A9"), status: 200, json: "naïve ☃" },
  { name: "delete a sub-part", request: req("DELETE", "/sniffles/1"), status: 204 },
  { name: "the array closed up", request: req("GET", "/sniffles/1"), status: 200, json: { name: "Grover" } },
  { name: "no such path", request: req("GET", "/nope/0"), status: 404 },
  { name: "no such index", request: req("GET", "/sniffles/9"), status: 404 },
  { name: "a non-canonical index", request: req("GET", "/sniffles/01"), status: 404 },
  { name: "PUT under a missing parent", request: req("PUT", "/missing/child", "1"), status: 404 },
  { name: "bad JSON", request: req("PUT", "/sniffles/0", "{not json"), status: 400 },
  { name: "method not allowed", request: req("POST", "/", "{}"), status: 405 },
  {
    name: "too large",
    request: req("PUT", "/big", JSON.stringify("x".repeat(1024 * 1024 + 10))),
    status: 413,
  },
  { name: "HEAD has no body", request: req("HEAD", "/count"), status: 200 },
  { name: "delete the document", request: req("DELETE", "/"), status: 204 },
  { name: "gone", request: req("GET", "/"), status: 404 },
];

export const pennyStories: Step[] = [
  {
    name: "the search form",
    request: req("GET", "/"),
    status: 200,
    contains: ['<form action="search"', 'name="author"'],
  },
  {
    name: "author-prefix search",
    request: req("GET", "/search?author=Aus"),
    status: 200,
    contains: ["3 books", "Pride and Prejudice", "Emma", "Sense and Sensibility"],
    excludes: ["Dickens"],
  },
  {
    name: "case-insensitive prefix",
    request: req("GET", "/search?author=orwell"),
    status: 200,
    contains: ["Animal Farm"],
  },
  {
    name: "UTF-8 query, + as space",
    request: req("GET", "/search?author=Bront%C3%AB%2C+E"),
    status: 200,
    contains: ["Wuthering Heights"],
    excludes: ["Jane Eyre"],
  },
  {
    name: "an apostrophe is data, not SQL",
    request: req("GET", "/search?author=O%27Brien"),
    status: 200,
    contains: ["The Third Policeman", "O&#39;Brien"],
  },
  {
    name: "LIKE wildcards match themselves",
    request: req("GET", "/search?author=%25"),
    status: 200,
    contains: ["No books"],
  },
  {
    name: "every value is HTML-escaped",
    request: req("GET", "/search?author=%3CScript"),
    status: 200,
    contains: ["&#60;Script&#62; &#38; &#34;Quotes&#34;", "&#60;b&#62;Markup&#60;/b&#62;"],
    excludes: ["<Script>", "<b>Markup"],
  },
  {
    name: "the query is echoed escaped",
    request: req("GET", "/search?author=%3Cimg%3E"),
    status: 200,
    contains: ['value="&#60;img&#62;"'],
    excludes: ["<img>"],
  },
  { name: "no such page", request: req("GET", "/admin"), status: 404 },
  { name: "only GET", request: req("POST", "/search", "{}"), status: 405 },
];

const UPLOAD = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256);
const uploadSum = UPLOAD.reduce((sum, byte) => (sum + byte) % 65521, 0);

export const honoStories: Step[] = [
  { name: "a Hono route answers", request: req("GET", "/"), status: 200, contains: ["Hello from Hono!"] },
  {
    name: "route parameters, and the URL as the client asked for it",
    request: req("GET", "/hello/caf%C3%A9?x=1"),
    status: 200,
    contains: ['"hello":"café"', "://example.com/hello/caf%C3%A9?x=1"],
  },
  {
    name: "two cookies, each its own Set-Cookie",
    request: req("POST", "/login", "{}"),
    status: 200,
    json: { ok: true },
    cookies: ["session=s3cr3t; Path=/; HttpOnly", "theme=dark; Path=/"],
  },
  {
    name: "the cookies come back",
    request: req("GET", "/me", undefined, [["Cookie", "session=s3cr3t; theme=dark"]]),
    status: 200,
    json: { session: "s3cr3t", theme: "dark" },
  },
  {
    name: "a binary download arrives byte-exact",
    request: req("GET", "/download"),
    status: 200,
    bytes: Uint8Array.from({ length: 256 }, (_, i) => i),
    headers: [["content-type", "application/octet-stream"]],
  },
  {
    name: "an upload read as a stream",
    request: {
      method: "POST",
      target: "/upload",
      headers: [
        HOST,
        ["Content-Type", "application/octet-stream"],
        ["Content-Length", String(UPLOAD.byteLength)],
      ],
      body: UPLOAD,
    },
    status: 200,
    json: { bytes: UPLOAD.byteLength, sum: uploadSum },
  },
  {
    name: "a streamed response (hono/streaming)",
    request: req("GET", "/stream"),
    status: 200,
    bytes: enc.encode("one\ntwo\nthree\n"),
  },
  { name: "an unknown route is Hono's 404", request: req("GET", "/nope"), status: 404 },
  { name: "HEAD has no body", request: req("HEAD", "/"), status: 200 },
];

/** Checks one step's response. */
export function checkStep(step: Step, response: TestResponse): void {
  const text = new TextDecoder().decode(response.body);
  expect(response.status, `${step.name}: ${text.slice(0, 200)}`).toBe(step.status);
  if (step.json !== undefined) expect(JSON.parse(text)).toEqual(step.json);
  for (const s of step.contains ?? []) expect(text).toContain(s);
  for (const s of step.excludes ?? []) expect(text).not.toContain(s);
  if (step.request.method === "HEAD") expect(response.body.byteLength).toBe(0);
  for (const [name, value] of step.headers ?? []) {
    const found = response.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
    expect(found, `${step.name}: header ${name}`).toEqual([value]);
  }
  if (step.cookies) {
    const found = response.headers.filter(([n]) => n.toLowerCase() === "set-cookie").map(([, v]) => v);
    expect(found, `${step.name}: set-cookie`).toEqual(step.cookies);
  }
  if (step.bytes) expect(Array.from(response.body), step.name).toEqual(Array.from(step.bytes));
}
