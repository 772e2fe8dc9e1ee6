/** formatAccessLog: gunicorn's default access log format (Apache combined) plus the duration. */
import { describe, expect, it } from "vitest";
import { type AccessLogEntry, formatAccessLog } from "../../adapters/node.ts";

const entry: AccessLogEntry = {
  remoteAddr: "127.0.0.1",
  time: new Date(2026, 11, 1, 16, 5, 9),
  method: "GET",
  target: "/caf%C3%A9?q=1",
  protocol: "HTTP/1.1",
  status: 200,
  bytes: 38,
  referer: undefined,
  userAgent: "curl/8.5.0",
  durationMs: 1.234,
};

describe("formatAccessLog", () => {
  it.each<[string, Partial<AccessLogEntry>, RegExp]>([
    [
      "a request",
      {},
      /^127\.0\.0\.1 - - \[01\/Dec\/2026:16:05:09 [+-]\d{4}\] "GET \/caf%C3%A9\?q=1 HTTP\/1\.1" 200 38 "-" "curl\/8\.5\.0" 1\.2ms$/,
    ],
    ["unknown address and size", { remoteAddr: undefined, bytes: undefined }, /^- - - \[.*\] ".*" 200 - /],
    [
      "quotes and control characters in a header, escaped (no forged line)",
      { userAgent: 'x" 200 1 "-" "y\n127.0.0.1 - - [forged]', referer: "a\\b" },
      /"a\\\\b" "x\\" 200 1 \\"-\\" \\"y\\x0a127\.0\.0\.1 - - \[forged\]" 1\.2ms$/,
    ],
  ])("%s", (_name, change, expected) => {
    const line = formatAccessLog({ ...entry, ...change });
    expect(line).toMatch(expected);
    expect(line).not.toContain("\n");
  });
});
