import { describe, expect, it } from "vitest";
import { decodeUtf8, firstInvalidUtf8 } from "./decode-text.js";

const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");
const join = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? utf8(p) : Uint8Array.from(p))));

function where(bytes: Uint8Array): string {
  const decoded = decodeUtf8("f.yaml", bytes);
  return "diagnostic" in decoded
    ? `${decoded.diagnostic.line}:${decoded.diagnostic.col} ${decoded.diagnostic.code}`
    : "ok";
}

describe("decodeUtf8", () => {
  it("decodes UTF-8 and drops a leading byte-order mark", () => {
    expect(decodeUtf8("f.yaml", utf8("a: wéb €\n"))).toEqual({ text: "a: wéb €\n" });
    expect(decodeUtf8("f.yaml", join([0xef, 0xbb, 0xbf], "a: 1\n"))).toEqual({ text: "a: 1\n" });
  });

  it("reports the first byte that is not UTF-8, located, with what it may be and a fix (LAB007)", () => {
    const bytes = join("lab:\n  name: x\n  owner: Jos", [0xe9], " Garc", [0xed], "a\n");
    const decoded = decodeUtf8("servers/web.yaml", bytes);
    expect(decoded).toEqual({
      diagnostic: {
        file: "servers/web.yaml",
        line: 3,
        col: 13,
        severity: "error",
        code: "LAB007",
        pointer: "",
        message:
          'file is not valid UTF-8: byte 0xE9 here does not begin or continue a UTF-8 character (in Latin-1 it would be "é"); lab reads config files as UTF-8',
        fix: "re-save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 servers/web.yaml > servers/web.yaml.utf8 && mv servers/web.yaml.utf8 servers/web.yaml`",
      },
      text: "lab:\n  name: x\n  owner: Jos\ufffd Garc\ufffda\n",
    });
  });

  it("counts the column in characters of the line, not bytes, and not the byte-order mark", () => {
    expect(where(join("a: ü€😀", [0xff], "\n"))).toBe("1:7 LAB007");
    expect(where(join([0xef, 0xbb, 0xbf], "a: x", [0xff]))).toBe("1:5 LAB007");
    expect(where(join("é\n\nü", [0xc3]))).toBe("3:2 LAB007");
  });

  it("finds malformed sequences of every kind", () => {
    expect(where(join("ab", [0x80]))).toBe("1:3 LAB007"); // a lone continuation byte
    expect(where(join("ab", [0xc3]))).toBe("1:3 LAB007"); // cut off at the end
    expect(where(join("ab", [0xe2, 0x82], "c"))).toBe("1:3 LAB007"); // cut off before text
    expect(where(join("ab", [0xc0, 0x80]))).toBe("1:3 LAB007"); // overlong
    expect(where(join("ab", [0xe0, 0x80, 0x80]))).toBe("1:3 LAB007"); // overlong
    expect(where(join("ab", [0xed, 0xa0, 0x80]))).toBe("1:3 LAB007"); // a surrogate
    expect(where(join("ab", [0xf4, 0x90, 0x80, 0x80]))).toBe("1:3 LAB007"); // above U+10FFFF
    expect(where(join("ab", [0xf8, 0x88, 0x80, 0x80, 0x80]))).toBe("1:3 LAB007");
  });

  it("names Windows-1252 for the bytes 0x80-0x9F, and UTF-16 by its byte-order mark", () => {
    const cp1252 = decodeUtf8("a.yaml", join("price: 5", [0x80], "\n"));
    expect("diagnostic" in cp1252 && cp1252.diagnostic.message).toContain(
      'byte 0x80 here does not begin or continue a UTF-8 character (in Windows-1252 it would be "€")',
    );
    expect("diagnostic" in cp1252 && cp1252.diagnostic.fix).toContain("iconv -f windows-1252");
    const utf16 = decodeUtf8("a.yaml", Buffer.from("\ufeffa: 1\n", "utf16le"));
    expect("diagnostic" in utf16 && utf16.diagnostic).toMatchObject({
      line: 1,
      col: 1,
      code: "LAB007",
      message:
        "file is UTF-16 (it starts with a UTF-16 byte-order mark); lab reads config files as UTF-8",
    });
    expect("diagnostic" in utf16 && utf16.diagnostic.fix).toContain("iconv -f utf-16 -t utf-8");
  });
});

describe("firstInvalidUtf8", () => {
  it("agrees with a strict decoder on random bytes", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    const valid = (bytes: Uint8Array): boolean => {
      try {
        strict.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = [0x41, 0x0a, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xed];
    const more = [0xef, 0xf0, 0xf4, 0xf5, 0xc0, 0xc1, 0xff];
    for (let round = 0; round < 5000; round++) {
      const bytes = Uint8Array.from({ length: 1 + next(8) }, () =>
        next(3) === 0 ? next(256) : [...alphabet, ...more][next(alphabet.length + more.length)]!,
      );
      const at = firstInvalidUtf8(bytes);
      expect(at === -1).toBe(valid(bytes));
      if (at >= 0) expect(valid(bytes.subarray(0, at))).toBe(true);
    }
  });
});
