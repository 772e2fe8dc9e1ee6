import { describe, expect, it } from "vitest";
import { createErrorStream, createInput } from "../../core/index.ts";
import type { WholeBody } from "../../core/input.ts";
import { enc } from "./helpers.ts";

const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function* chunked(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield enc(p);
}

describe("tsgi.input", () => {
  it.each([
    ["buffer", () => enc("hello\nworld\nlast")],
    ["stream", () => chunked("hel", "lo\nwo", "", "rld\nla", "st")],
  ])("reads exactly min(n, remaining) from a %s", async (_name, make) => {
    const input = createInput(make(), 16);
    expect(dec(await input.read(3))).toBe("hel");
    expect(dec(await input.read(4))).toBe("lo\nw");
    expect(dec(await input.readline())).toBe("orld\n");
    expect(dec(await input.read(100))).toBe("last");
    expect((await input.read()).byteLength).toBe(0);
    expect((await input.readline()).byteLength).toBe(0);
  });
  it("never returns bytes past the limit", async () => {
    const input = createInput(chunked("abc", "def"), 4);
    expect(dec(await input.read())).toBe("abcd");
    expect((await input.read(1)).byteLength).toBe(0);
  });
  it("an empty or absent body resolves at once", async () => {
    expect((await createInput(null).read()).byteLength).toBe(0);
    const never: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }),
    };
    expect((await createInput(never, 0).read()).byteLength).toBe(0);
  });
  it("readline(n) stops at n bytes", async () => {
    const input = createInput(enc("abcdef\n"));
    expect(dec(await input.readline(4))).toBe("abcd");
    expect(dec(await input.readline())).toBe("ef\n");
  });
  it("readlines and async iteration yield lines", async () => {
    expect((await createInput(enc("a\nb\nc")).readlines()).map(dec)).toEqual(["a\n", "b\n", "c"]);
    expect((await createInput(enc("a\nb\nc")).readlines(2)).map(dec)).toEqual(["a\n"]);
    const lines: string[] = [];
    for await (const line of createInput(chunked("x\ny", "\nz"))) lines.push(dec(line));
    expect(lines).toEqual(["x\n", "y\n", "z"]);
  });
  it("concurrent reads are served in order", async () => {
    const input = createInput(chunked("ab", "cd", "ef"));
    const [a, b, c] = await Promise.all([input.read(3), input.read(2), input.read()]);
    expect([dec(a), dec(b), dec(c)]).toEqual(["abc", "de", "f"]);
  });
  it("pulls lazily and runs the first-read hook once", async () => {
    let pulled = 0;
    let hooked = 0;
    const source: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        pulled++;
        yield enc("x");
      },
    };
    const input = createInput(source, undefined, () => hooked++);
    expect(pulled).toBe(0);
    await input.read();
    await input.read();
    expect([pulled, hooked]).toEqual([1, 1]);
  });
  it("a source error rejects the read", async () => {
    const failing: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error("client gone")) }),
    };
    await expect(createInput(failing).read()).rejects.toThrow("client gone");
  });
});

describe("tsgi.errors", () => {
  it("passes text on by line, flushes the rest, accepts any Unicode", () => {
    const lines: string[] = [];
    const errors = createErrorStream((l) => lines.push(l));
    errors.write("a\nb");
    errors.write("c ☃ \u{1F600}\n");
    errors.writelines(["d\n", "e"]);
    expect(lines).toEqual(["a", "bc ☃ \u{1F600}", "d"]);
    errors.flush();
    expect(lines.at(-1)).toBe("e");
  });
  it("never throws, even when its sink does", () => {
    const errors = createErrorStream(() => {
      throw new Error("sink broke");
    });
    expect(() => {
      errors.write("x\n");
      errors.flush();
      errors.write(undefined as never);
      errors.writelines(null as never);
    }).not.toThrow();
  });
});

describe("tsgi.input over a buffered body", () => {
  it("answers reads in order, whether or not a read is still queued", async () => {
    const input = createInput(new TextEncoder().encode("abcdef"), 6);
    const [a, b] = await Promise.all([input.read(2), input.readline()]);
    const c = await input.read(1);
    const rest = await input.read();
    const text = (u: Uint8Array) => new TextDecoder().decode(u);
    expect([text(a), text(b), text(c), text(rest)]).toEqual(["ab", "cdef", "", ""]);
  });
});

describe("tsgi.input over a body that can give all of itself at once (WholeBody)", () => {
  const wholeBody = (parts: string[]) => {
    const calls = { readAll: 0, chunks: 0 };
    const body: WholeBody = {
      readAll: async () => {
        calls.readAll++;
        return enc(parts.join(""));
      },
      async *[Symbol.asyncIterator]() {
        for (const part of parts) {
          calls.chunks++;
          yield enc(part);
        }
      },
    };
    return { body, calls };
  };

  it("answers a whole read with one readAll(), bounded by CONTENT_LENGTH, first-read hook run once", async () => {
    const { body, calls } = wholeBody(["hello ", "world"]);
    let hooked = 0;
    const input = createInput(body, 8, () => hooked++);
    expect(new TextDecoder().decode(await input.read())).toBe("hello wo");
    expect((await input.read()).byteLength).toBe(0);
    expect(calls).toEqual({ readAll: 1, chunks: 0 });
    expect(hooked).toBe(1);
  });

  it("keeps to the chunks once a partial read pulled one", async () => {
    const { body, calls } = wholeBody(["ab", "cd", "ef"]);
    const input = createInput(body);
    expect(new TextDecoder().decode(await input.read(1))).toBe("a");
    expect(new TextDecoder().decode(await input.read())).toBe("bcdef");
    expect(calls.readAll).toBe(0);
  });

  it("serializes a whole read with reads made at the same time", async () => {
    const { body } = wholeBody(["ab", "cd"]);
    const input = createInput(body);
    const [all, after] = await Promise.all([input.read(), input.read(1)]);
    expect(new TextDecoder().decode(all)).toBe("abcd");
    expect(after.byteLength).toBe(0);
  });
});
