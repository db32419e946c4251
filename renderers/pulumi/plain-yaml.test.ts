import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { canonicalYaml } from "../../core/canonical.js";
import { LabError } from "../../core/errors.js";
import { plainYaml } from "./plain-yaml.js";

/** Strings of the kinds stack configs hold, and ones YAML would misread if written plain. */
const STRINGS = [
  "mail-1",
  "acme infra",
  "lab:repo=acme infra",
  "all-except-staging,production",
  "ami-0a1b2c3d4e5f60718",
  "eu-west-1",
  "a.b_c/d@e+f",
  "a -b",
  "12",
  "0123",
  "1.5",
  "1e5",
  "0x1F",
  "0o17",
  ".inf",
  "-.5",
  "true",
  "False",
  "null",
  "~",
  "",
  " leading",
  "trailing ",
  "two  spaces",
  "a: b",
  "a:",
  "a #b",
  "#c",
  "- item",
  "-x",
  "*alias",
  "&anchor",
  "!tag",
  "%x",
  "@x",
  "`x",
  "{a}",
  "[a]",
  "a, b",
  "'q'",
  '"dq"',
  "line\nbreak",
  "tab\there",
  "ünïcode",
  "yes",
  "no",
  "on",
  "1_000",
  "2024-01-01",
];

describe("plainYaml", () => {
  it("reads back as the same data, whatever the strings", () => {
    for (const s of STRINGS) {
      const doc = { [s || "empty"]: s, list: [s, 1, true, null], nested: { k: s } };
      expect(parse(plainYaml(doc)), JSON.stringify(s)).toEqual(doc);
    }
  });

  it("writes the same bytes as canonicalYaml wherever it writes a string plain", () => {
    for (const s of STRINGS) {
      const doc = { key: s, [`k-${s}`]: [s] };
      const text = plainYaml(doc);
      if (!text.includes('"')) expect(text, JSON.stringify(s)).toBe(canonicalYaml(doc));
    }
  });

  it("writes nested mappings, lists, empty ones, numbers and booleans like canonicalYaml", () => {
    const doc = {
      b: { z: 1, a: [2, "x"], e: {}, l: [], u: undefined },
      a: true,
      c: 0.5,
      d: null,
      "lab:servers": { "mail-1": { tags: { Name: "mail-1", "lab:size": "medium" } } },
    };
    expect(plainYaml(doc)).toBe(canonicalYaml(doc));
    expect(plainYaml({})).toBe(canonicalYaml({}));
  });

  it("refuses what it does not write (lists of mappings, non-finite numbers)", () => {
    expect(() => plainYaml({ a: [{ b: 1 }] })).toThrow(LabError);
    expect(() => plainYaml({ a: Number.NaN })).toThrow(LabError);
  });
});
