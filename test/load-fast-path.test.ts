/**
 * The fast parse path gives exactly what the reference path gives (data, positions, no
 * diagnostics) on real and generated repos and on every fixture, and leaves every file the
 * reference path has something to say about to the reference path.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { generateFiles, scaleFor } from "../bench/generate.js";
import { parseYamlFast } from "../reconciler/load/yaml-fast.js";
import { parseYamlFile } from "../reconciler/load/yaml-file.js";
import { compareParse } from "./load-parse-compare.js";

const HERE = import.meta.dirname;

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

function expectSame(files: Iterable<[string, string]>): { fast: number; all: number } {
  let fast = 0;
  let all = 0;
  for (const [path, text] of files) {
    const c = compareParse(path, text);
    expect(c.actual, path).toEqual(c.reference);
    all += 1;
    if (c.fast) fast += 1;
  }
  return { fast, all };
}

function filesOf(dir: string): [string, string][] {
  return yamlFilesUnder(dir).map((f) => [relative(dir, f), readFileSync(f, "utf8")]);
}

describe("the fast parse path against the reference path", () => {
  it("parses every file of the example repo on the fast path, with the same result", () => {
    const files = filesOf(join(HERE, "../examples/infra-repo"));
    const counts = expectSame(files);
    // Every file of the example repo that the reference loads without a diagnostic is fast.
    const clean = files.filter(([p, t]) => parseYamlFile(p, t).diagnostics.length === 0);
    expect(counts.fast).toBe(clean.length);
    expect(counts.fast).toBeGreaterThan(5);
  });

  it("parses generated repos (several seeds and sizes) on the fast path, with the same result", () => {
    for (const [servers, seed] of [
      [40, 1],
      [120, 7],
      [500, 42],
      [2000, 3],
    ] as const) {
      const files = [...generateFiles({ ...scaleFor(servers), seed })].filter(([p]) =>
        p.endsWith(".yaml"),
      );
      const counts = expectSame(files);
      expect(counts.fast, `${servers} servers, seed ${seed}`).toBe(counts.all);
    }
  });

  it("gives the reference result for every file under test/invalid and test/fixtures", () => {
    const files = [
      ...filesOf(join(HERE, "invalid")),
      ...filesOf(join(HERE, "fixtures")),
      ...filesOf(join(HERE, "golden")).filter(([p]) => !p.includes("/expected/")),
    ];
    const counts = expectSame(files);
    expect(counts.all).toBeGreaterThan(30);
  });

  it("leaves files with diagnostics on the reference path to it (each construct it is unsure of)", () => {
    const unsure: Record<string, string> = {
      duplicate: "a: 1\na: 2\n",
      tag: "a: !!binary aGVsbG8=\n",
      customTag: "a: !Ref x\n",
      anchor: "a: &x 1\nb: *x\n",
      explicitKey: "? a\n: 1\n",
      twoDocs: "a: 1\n---\nb: 2\n",
      docStart: "---\na: 1\n",
      directive: "%YAML 1.1\n---\na: yes\n",
      tab: "a:\n\tb: 1\n",
      crlf: "a: 1\r\nb: 2\r\n",
      emptyItem: "a:\n  -\n  - 1\n",
      nullKey: "? null\n: 1\n",
      nullKeyPlain: "null: 1\n",
      listRoot: "- 1\n- 2\n",
      scalarRoot: "hello\n",
      empty: "# nothing\n",
      flowPair: "a: [b: 1]\n",
      flowKeyOnly: "a: {b, c: 1}\n",
      badIndent: "a:\n  b: 1\n c: 2\n",
      bom: "\ufeffa: 1\n",
      objectKey: "{[a]: 1}: 2\n",
      deep: `a: ${"[".repeat(120)}${"]".repeat(120)}\n`,
    };
    for (const [name, text] of Object.entries(unsure)) {
      expect(parseYamlFast(`${name}.yaml`, text), name).toBeNull();
      expect(compareParse(`${name}.yaml`, text).actual, name).toEqual(
        compareParse(`${name}.yaml`, text).reference,
      );
    }
  });

  it("gives empty values the reference's position (after the spaces that follow the colon)", () => {
    const texts = [
      "a:\nb: 1\n",
      "a: \nb: 1\n",
      "a:   # c\nb: 1\n",
      "a:",
      "a:   ",
      "x:\n  a:\n  b:\n",
      "x:\n  a:\n\n  # c\nb: 1\n",
      "a: {b: , c: 1}",
      "a: {b:}",
      "a: {b: }\n",
      "l:\n  - a:\n    b:\n",
      "a: null\nb: ~\nc:\n",
    ];
    for (const text of texts) {
      const c = compareParse("empty.yaml", text);
      expect(c.fast, JSON.stringify(text)).toBe(true);
      expect(c.actual, JSON.stringify(text)).toEqual(c.reference);
    }
  });

  it("reads spacing, folding and layout as the reference does", () => {
    const texts = [
      "a  : 1\nb :  2\n",
      "a: b\n  c\n  d\nn: 1\n",
      "a: 'x\n\n  y'\nb: \"p\n  q\\\n  r\"\n",
      "a: [x,\n  y, {z: 1,\n  w: [2]}]\n",
      "a:\n- 1\n- 2\nb:\n  - c: 1\n    d: 2\n  - [e]\n",
      "# top\n\n\na: 1 # c\n# between\nb:\n  # inside\n  c: 2\n",
      "a: |\n  x\n\n    y\n  z\nb: >\n  p\n    q\n  r\n\nc: |-\n  s\n",
      "a: |2\n    x\n  y\nb: >+\n  t\n\n",
      'a: {"k":1, "l" : [ ]}\n',
      "\"quoted key\": 1\n'single': 2\n? not\n",
      "a:\n   - x\n   -   y\n   - - z\n     - w\n",
      "k: v # trailing\nl:   [1]   # c\n",
      "a: x\n",
      "über: ö\n日本: 語\n😀: 🙂\n",
    ];
    for (const text of texts) {
      const c = compareParse("layout.yaml", text);
      expect(c.actual, JSON.stringify(text)).toEqual(c.reference);
    }
    const fast = texts.filter((t) => compareParse("layout.yaml", t).fast).length;
    expect(fast).toBe(texts.length - 1);
  });

  it("reads each core scalar type as the reference does (ints, floats, bools, nulls, strings)", () => {
    const scalars = [
      "0",
      "-0",
      "+12",
      "007",
      "0o17",
      "0x1F",
      "0b101",
      "1_000",
      "12345678901234567890",
      "1.5",
      "-.5",
      "1.",
      "+1e3",
      "1E-2",
      ".inf",
      "-.Inf",
      "+.INF",
      ".nan",
      ".NaN",
      "1.0e",
      "true",
      "True",
      "TRUE",
      "yes",
      "no",
      "on",
      "off",
      "y",
      "n",
      "false",
      "FALSE",
      "fAlse",
      "~",
      "null",
      "Null",
      "NULL",
      "nULL",
      "2001-12-14",
      "2001-12-14t21:59:43.10-05:00",
      "12:30:00",
      "<<",
      "=",
      "0.1.2",
      "1e",
      "0x",
      "0o8",
      "-.inf",
      "1:20",
    ];
    const text =
      scalars.map((s, i) => `k${i}: ${s}\n`).join("") + "list: [" + scalars.join(", ") + "]\n";
    const c = compareParse("types.yaml", text);
    expect(c.fast).toBe(true);
    expect(c.actual).toEqual(c.reference);
  });
});
