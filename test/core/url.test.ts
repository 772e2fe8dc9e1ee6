import { describe, expect, it } from "vitest";
import {
  bytesToLatin1,
  latin1ToBytes,
  latin1ToUtf8,
  percentDecode,
  percentEncode,
  requestUri,
  applicationUri,
  utf8ToLatin1,
  buildEnviron,
} from "../../core/index.ts";
import { makeInfo } from "./helpers.ts";

describe("percentDecode", () => {
  it.each([
    ["/plain", "/plain"],
    ["/a%20b", "/a b"],
    ["/caf%C3%A9", "/caf\u00c3\u00a9"],
    ["/%ff%FF", "/\u00ff\u00ff"],
    ["/%2F%2f", "///"],
    ["/%zz", "/%zz"],
    ["/%", "/%"],
    ["/%4", "/%4"],
    ["/%%41", "/%A"],
    ["/%00", "/\u0000"],
    ["%41%42%43", "ABC"],
  ])("%s -> %j", (input, output) => {
    expect(percentDecode(input)).toBe(output);
  });
});

describe("percentEncode", () => {
  it.each([
    ["/a b", "/a%20b"],
    ["/\u00ff", "/%FF"],
    ["/a-b_c.d~e", "/a-b_c.d~e"],
    ["/?#%", "/%3F%23%25"],
  ])("%j -> %s", (input, output) => {
    expect(percentEncode(input)).toBe(output);
  });
  it("refuses text that is not bytes-as-latin1", () => {
    expect(() => percentEncode("\u2603")).toThrow(RangeError);
  });
});

describe("latin-1 and UTF-8", () => {
  it("bytesToLatin1 maps each byte to one code unit, 0x80 to U+0080 (not windows-1252)", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = bytesToLatin1(all);
    expect(text.length).toBe(256);
    expect(text.charCodeAt(0x80)).toBe(0x80);
    expect(latin1ToBytes(text)).toEqual(all);
  });
  it("handles large inputs", () => {
    const big = new Uint8Array(100_000).fill(0x41);
    expect(bytesToLatin1(big)).toBe("A".repeat(100_000));
  });
  it("latin1ToBytes refuses wide code units", () => {
    expect(() => latin1ToBytes("\u0100")).toThrow(RangeError);
  });
  it.each([
    ["é", "\u00c3\u00a9"],
    ["☃", "\u00e2\u0098\u0083"],
    ["plain", "plain"],
  ])("utf8ToLatin1(%s) and back", (text, bytes) => {
    expect(utf8ToLatin1(text)).toBe(bytes);
    expect(latin1ToUtf8(bytes)).toBe(text);
  });
  it("latin1ToUtf8 replaces invalid UTF-8, or throws when fatal", () => {
    expect(latin1ToUtf8("\u00ff")).toBe("\ufffd");
    expect(() => latin1ToUtf8("\u00ff", { fatal: true })).toThrow(TypeError);
  });
});

describe("URL reconstruction (PEP 3333)", () => {
  it.each([
    [{ target: "/a%20b?x=1", headers: [["Host", "example.com"]] }, "http://example.com/a%20b?x=1"],
    [{ target: "/p", headers: [["Host", "example.com:8080"]] }, "http://example.com:8080/p"],
    [
      { target: "/p", headers: [], protocol: "HTTP/1.0", serverName: "srv", serverPort: "80" },
      "http://srv/p",
    ],
    [
      {
        target: "/p",
        headers: [],
        protocol: "HTTP/1.0",
        scheme: "https",
        serverName: "srv",
        serverPort: "8443",
      },
      "https://srv:8443/p",
    ],
    [{ target: "/app/x/%FF", headers: [["Host", "h"]], scriptName: "/app" }, "http://h/app/x/%FF"],
  ] as const)("%j -> %s", (overrides, url) => {
    const environ = buildEnviron(makeInfo(overrides as never));
    expect(requestUri(environ)).toBe(url);
  });
  it("applicationUri stops at SCRIPT_NAME; query can be left out", () => {
    const environ = buildEnviron(makeInfo({ target: "/app/x?q=1", scriptName: "/app" }));
    expect(applicationUri(environ)).toBe("http://example.com/app");
    expect(requestUri(environ, { query: false })).toBe("http://example.com/app/x");
  });
});

describe("utf8ToLatin1 by hand (short text) and by TextEncoder (long text)", () => {
  const viaEncoder = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));
  it.each([
    "crème",
    "\u0080\u07ff\u0800\uffff",
    "☃ and 😀",
    "lone \ud800 high",
    "lone \udc00 low",
    "\ud83d\ude00\ud83d",
    "ends high \ud83d",
    `${"é".repeat(300)}😀`,
  ])("%j gives the bytes TextEncoder gives", (text) => {
    expect(utf8ToLatin1(text)).toBe(viaEncoder(text));
  });
});

describe("percentEncode keeps exactly the unreserved characters and /", () => {
  it("escapes every other byte as %XX", () => {
    let all = "";
    for (let c = 0; c < 0x100; c++) all += String.fromCharCode(c);
    const out = percentEncode(all);
    const kept = out.replaceAll(/%[0-9A-F]{2}/g, "");
    expect(kept).toBe("-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~");
    expect(out.match(/%[0-9A-F]{2}/g)).toHaveLength(256 - kept.length);
  });
});
