import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { canonicalJson, canonicalYaml } from "./canonical.js";
import { LabError } from "./errors.js";

type Version = "1.1" | "1.2";
const VERSIONS: readonly Version[] = ["1.1", "1.2"];

/** The reference: a sorted copy written by the `yaml` package's `stringify`. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortedCopy(v);
    }
    return out;
  }
  return value;
}

function reference(value: unknown, version: Version, sort = true): string {
  const v = sort ? sortedCopy(value) : value;
  return stringify(v, { aliasDuplicateObjects: false, lineWidth: 0, indent: 2, version });
}

const KEYWORDS = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];

/** Every upper/lower-case spelling of a word: `On`, `oN`, `ON` … */
function caseVariants(word: string): string[] {
  let out = [""];
  for (const ch of word) {
    out = out.flatMap((p) => [p + ch.toLowerCase(), p + ch.toUpperCase()]);
  }
  return [...new Set(out)];
}

const TRICKY: readonly string[] = [
  ...["", " ", "  ", " leading", "trailing ", "a  b", "a\u00a0b", "\t", "a\tb", "tab\t"],
  ...[":", "a:", ":a", "a:b", "a: b", "a :b", "::", "role::web", "profile::base::x", "a:: b"],
  ...["http://x.y/z?q=1#f", "C:\\path", "back\\slash", "1:20", "1:20:30.5", "190:20:30"],
  ...["#", "#c", "a#b", "a #b", "x # not a comment", "-", "-x", "- item", "a -b", "--", "---"],
  ...["--- a", "...", "... a", "a\n---\nb", "%x", "%YAML 1.2", "?", "? q", "?x", "!", "!tag"],
  ...["&anchor", "*alias", "|block", ">folded", "@at", "`tick", "=", "<<", "a=b", "a,b", "a, b"],
  ...["{", "}", "[", "]", "{a}", "[a]", "{a: 1}", "[1, 2]", 'x{a="1"} > 2', "a}", "a]"],
  ...["'", '"', "'q'", '"dq"', "it's", 'say "hi"', `it's "both"`, "''", '""'],
  ...["\n", "a\n", "\na", "a\nb", "a\n\nb", "a\n\n", " a\nb", "a \nb", "a\n b", "\n\n"],
  ...["a very long first line of text that goes on\n and a second line starting with space"],
  ...['long "quoted" text with a \\ backslash\nand a newline to fold here and there x'],
  ...["\x00", "\x07", "a\x1bb", "\x7f", "\u0085", "\u2028sep", "\u2029", "\ufeff", "\ud800"],
  ...["ünïcode", "日本語", "uni ✓ code", "😀", "emoji 😀 x", "عربى", "Ωmega"],
  ...["0", "00", "-0", "+1", "-1", "12", "0123", "017", "1.", ".5", "-.5", "3.14", "1_000"],
  ...["1e3", "1E3", "1e+3", "1e-3", "12e", "0x1f", "0x1F", "0X1F", "0o17", "0b101", "1e21"],
  ...[".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "Infinity", "NaN"],
  ...["~", "Null", "NULL", "nulls", "Nope", "trueish", "falsey", "Yes!", "nothing", "Y2K"],
  ...["2024-01-01", "2024-1-1", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00.5 +01:00"],
  ...["mail-1", "acme infra", "lab:repo=acme infra", "ami-0a1b2c3d4e5f60718", "eu-west-1"],
  ...[
    "a.b_c/d@e+f",
    "two  spaces",
    "1.5",
    "all-except-staging,production",
    "10.0.0.1",
    "::1",
    "/dev/sda",
    "_x",
  ],
  ...["CPU usage above 90% of the size's cores", "x on {{ $labels.lab_server }} is {{ $value }}"],
  ...KEYWORDS.flatMap(caseVariants),
  "k".repeat(1025),
  `${"long key ".repeat(120)}\nwith a newline`,
];

const NUMBERS: readonly number[] = [
  ...[0, -0, 1, -1, 0.5, -0.5, 3.14, 1e21, 1e-7, 5e-324, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER],
  ...[123456789012345680000, -1e300, Number.NaN, Number.POSITIVE_INFINITY, -Infinity],
];

/** A small seeded generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [..."aZ09 :#-?{}[]'\",.\n\t_/~!&*|>%@`=<+\\ü✓", "\u0085", "\x00", "😀"];

function randomString(next: () => number): string {
  if (next() < 0.4) return TRICKY[Math.floor(next() * TRICKY.length)]!;
  let s = next() < 0.5 ? "a" : "";
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)]!;
  return s;
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 0 && r < 0.2) {
    const map: Record<string, unknown> = {};
    const size = Math.floor(next() * 5);
    for (let i = 0; i < size; i++) map[randomString(next)] = randomValue(next, depth - 1);
    return map;
  }
  if (depth > 0 && r < 0.35) {
    return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
  }
  if (r < 0.75) return randomString(next);
  if (r < 0.85) return NUMBERS[Math.floor(next() * NUMBERS.length)]!;
  if (r < 0.9) return next() < 0.5;
  if (r < 0.95) return null;
  return undefined;
}

/** Each string as a document, value, key, list item, and nested deeper in both. */
function placements(s: string): unknown[] {
  return [
    s,
    [s],
    { [s]: s },
    { k: s, list: [s, [s], { [s]: [s] }], nested: { deeper: { [s]: s } } },
    [{ [s]: { a: s } }, [[s]]],
    { [s]: [] },
    { [s]: {} },
    { [s]: [s] },
    { [s]: { [s]: 1 } },
  ];
}

/** Every word of one or two ASCII letters, and random words of three to six. */
function shortWords(): string[] {
  const letters = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
  const words = [...letters, ...letters.flatMap((a) => letters.map((b) => a + b))];
  const next = random(3);
  for (let i = 0; i < 3000; i++) {
    const length = 3 + Math.floor(next() * 4);
    words.push(Array.from({ length }, () => letters[Math.floor(next() * 52)]!).join(""));
  }
  return words;
}

describe("canonicalYaml writes the bytes of yaml's stringify", () => {
  it("for short words, keys and values, in both versions", () => {
    for (const w of shortWords()) {
      for (const version of VERSIONS) {
        expect(canonicalYaml({ [w]: [w] }, { version }), w).toBe(reference({ [w]: [w] }, version));
      }
    }
  });

  for (const version of VERSIONS) {
    it(`for tricky strings in every position (YAML ${version})`, () => {
      for (const s of TRICKY) {
        for (const doc of placements(s)) {
          expect(canonicalYaml(doc, { version }), JSON.stringify(doc)).toBe(
            reference(doc, version),
          );
        }
      }
    });

    it(`for numbers, booleans, null, empty and nested collections (YAML ${version})`, () => {
      const docs: unknown[] = [
        ...NUMBERS,
        ...NUMBERS.map((n) => ({ n, l: [n] })),
        true,
        false,
        null,
        [],
        {},
        [[]],
        [{}],
        [[[]], [{}], { a: [] }],
        { a: {}, b: [], c: { d: {}, e: [[], {}] }, u: undefined },
        { only: undefined },
        [undefined, null, 1],
        { a: { b: { c: { d: [1, [2, [3, { e: null }]]] } } } },
        { "10": 1, "9": 2, b: 3, "01": 4, "-1": 5, "4294967295": 6, "4294967294": 7, a: 8 },
      ];
      for (const doc of docs) {
        expect(canonicalYaml(doc, { version }), JSON.stringify(doc)).toBe(reference(doc, version));
      }
    });

    it(`for 600 random documents, sorted and unsorted (YAML ${version})`, () => {
      const next = random(version === "1.1" ? 11 : 12);
      for (let i = 0; i < 600; i++) {
        const doc = randomValue(next, 4) ?? null;
        const sort = i % 2 === 0;
        expect(canonicalYaml(doc, { version, sort }), `case ${i}`).toBe(
          reference(doc, version, sort),
        );
      }
    });
  }

  it("keeps the object's key order with sort: false", () => {
    const doc = { z: 1, a: { y: 2, b: 3 }, m: [{ q: 1, c: 2 }] };
    expect(canonicalYaml(doc, { sort: false })).toBe(
      "z: 1\na:\n  y: 2\n  b: 3\nm:\n  - q: 1\n    c: 2\n",
    );
    expect(canonicalYaml(doc)).toBe("a:\n  b: 3\n  y: 2\nm:\n  - c: 2\n    q: 1\nz: 1\n");
  });
});

describe("canonicalYaml reads back", () => {
  it("as the same data, in the version it was written for (but <<)", () => {
    for (const version of VERSIONS) {
      for (const s of TRICKY.filter((t) => t !== "<<")) {
        const doc = { [s || "empty"]: s, list: [s, 1, true, null], nested: { k: s } };
        expect(parse(canonicalYaml(doc, { version }), { version }), JSON.stringify(s)).toEqual(doc);
      }
    }
  });

  it("writes the string << plain, as yaml does, which YAML 1.1 reads as a merge key", () => {
    expect(canonicalYaml({ "<<": "<<" }, { version: "1.1" })).toBe("<<: <<\n");
    expect(canonicalYaml({ "<<": "<<" })).toBe("<<: <<\n");
  });

  it("quotes what YAML 1.1 would misread only when asked to", () => {
    const doc = { a: "on", b: "no", c: "2024-01-01", d: "1:20", e: "y" };
    expect(canonicalYaml(doc)).toBe("a: on\nb: no\nc: 2024-01-01\nd: 1:20\ne: y\n");
    expect(canonicalYaml(doc, { version: "1.1" })).toBe(
      'a: "on"\nb: "no"\nc: "2024-01-01"\nd: "1:20"\ne: "y"\n',
    );
  });
});

describe("canonicalYaml refuses what is not JSON-like data", () => {
  it("throws a LabError for an undefined document, dates, maps, bigints and functions", () => {
    for (const bad of [new Date(0), new Map(), 1n, () => 1, Symbol("s")]) {
      expect(() => canonicalYaml({ a: [bad] }), String(typeof bad)).toThrow(LabError);
    }
    expect(() => canonicalYaml(undefined)).toThrow(LabError);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and ends with a newline", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } })).toBe(
      '{\n  "a": {\n    "d": [\n      {\n        "e": 2,\n        "f": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});
