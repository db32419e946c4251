import { describe, expect, it } from "vitest";
import { MAX_DEPTH, parseYamlFile } from "./yaml-file.js";

function codes(text: string): string[] {
  return parseYamlFile("f.yaml", text).diagnostics.map(
    (d) => `${d.line}:${d.col} ${d.code} ${d.pointer}`,
  );
}

describe("parseYamlFile", () => {
  it("turns a mapping into plain data", () => {
    const parsed = parseYamlFile(
      "f.yaml",
      "servers:\n  web-01: { provider: aws, ports: [80, 443] }\n",
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.sections).toEqual({
      servers: { "web-01": { provider: "aws", ports: [80, 443] } },
    });
    expect(parsed.sops).toBe(false);
  });

  it("accepts an empty file and a file of comments", () => {
    expect(parseYamlFile("f.yaml", "").sections).toEqual({});
    expect(parseYamlFile("f.yaml", "# nothing yet\n").sections).toEqual({});
  });

  it("reports a syntax error at its line and column (LAB001)", () => {
    const d = parseYamlFile("f.yaml", "servers:\n  a: [1,\n").diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      file: "f.yaml",
      line: 3,
      col: 1,
      code: "LAB001",
      severity: "error",
    });
  });

  it("reports one root problem per syntax error, not the parser's cascade (LAB001)", () => {
    // The yaml package reports two errors for the first text and three for the second.
    expect(codes("servers:\n  a: 1\n   b: 2\n  c: 3\n")).toEqual(["2:6 LAB001 "]);
    expect(codes("a:\n  b: [\n  1\n  ]\n")).toEqual(["3:3 LAB001 "]);
    const parsed = parseYamlFile("f.yaml", "a:\n  b: [\n  1\n  ]\n");
    expect(parsed.sections).toBeNull();
    expect(parsed.cause).toBe(parsed.diagnostics[0]);
  });

  it("refuses a file with a second document, at the second one's start (LAB008)", () => {
    expect(codes("a: 1\n---\nb: 2\n")).toEqual(["2:1 LAB008 "]);
    expect(codes("# c\na: 1\n...\nb: 2\n")).toEqual(["4:1 LAB008 "]);
    expect(codes("a: 1\n---\n")).toEqual(["2:1 LAB008 "]);
    expect(codes("servers: [\n---\nb: 2\n").map((c) => c.split(" ")[1])).toEqual([
      "LAB001",
      "LAB008",
    ]);
    const parsed = parseYamlFile("f.yaml", "servers: {}\n---\nlabels: {}\n");
    expect(parsed.sections).toBeNull();
    expect(parsed.diagnostics).toEqual([
      {
        file: "f.yaml",
        line: 2,
        col: 1,
        severity: "error",
        code: "LAB008",
        pointer: "",
        message: "a config file holds one YAML document; a second one starts here",
        fix: 'lab merges all config files, so put this document in a file of its own, or remove the "---" if it continues the one before',
      },
    ]);
  });

  it("accepts one document with a leading --- or a closing ...", () => {
    for (const text of [
      "---\na: 1\n",
      "--- # settings\na: 1\n",
      "a: 1\n...\n",
      "%YAML 1.2\n---\na: 1\n...\n",
    ]) {
      const parsed = parseYamlFile("f.yaml", text);
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.sections).toEqual({ a: 1 });
    }
  });

  it("reports each tag lab does not read at the tag, with its pointer, and refuses the file (LAB009)", () => {
    const text = [
      "servers:",
      "  a: !Ref { provider: aws }",
      "  b: { provider: !!binary aGk= }",
      "  c: { labels: !!set { x, y }, since: !!timestamp 2001-12-14 }",
      "  d: { size: !!int large, ports: !!omap [ { http: 80 } ] }",
      "  e: { provider: !ruby/object:Provider { name: aws } }",
      "",
    ].join("\n");
    expect(codes(text)).toEqual([
      "2:6 LAB009 /servers/a",
      "3:18 LAB009 /servers/b/provider",
      "4:16 LAB009 /servers/c/labels",
      "4:39 LAB009 /servers/c/since",
      "5:14 LAB009 /servers/d/size",
      "5:34 LAB009 /servers/d/ports",
      "6:18 LAB009 /servers/e/provider",
    ]);
    const parsed = parseYamlFile("f.yaml", text);
    expect(parsed.sections).toBeNull();
    expect(parsed.positions).toBeNull();
    expect(parsed.cause).toBe(parsed.diagnostics[0]);
    expect(parsed.diagnostics[1]).toEqual({
      file: "f.yaml",
      line: 3,
      col: 18,
      severity: "error",
      code: "LAB009",
      pointer: "/servers/b/provider",
      message:
        "lab does not read !!binary values (base64-encoded bytes); a config value is a string, number, boolean, null, list or mapping, written without a tag",
      fix: "remove the tag to keep the text as a string",
    });
  });

  it("reports a tagged value once, however many aliases share it (LAB009)", () => {
    expect(codes("a: &x !!binary aGk=\nb: *x\nc: [*x, *x]\n")).toEqual(["1:7 LAB009 /a"]);
  });

  it("reads the core schema's tags as usual", () => {
    const parsed = parseYamlFile(
      "f.yaml",
      "a: !!str 5\nb: !!int '7'\nc: !!float 1.5\nd: !!bool true\ne: !!null ~\nf: !!map {}\ng: !!seq []\nh: ! x\n",
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.sections).toEqual({
      a: "5",
      b: 7,
      c: 1.5,
      d: true,
      e: null,
      f: {},
      g: [],
      h: "x",
    });
  });

  it("reads a file that declares %YAML 1.1 as YAML 1.1, with only plain values", () => {
    const parsed = parseYamlFile(
      "f.yaml",
      "%YAML 1.1\n---\na: yes\nb: 010\nc: 2001-12-14\nd: 1:30\ne: { <<: { x: 1 } }\n",
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.sections).toEqual({
      a: true,
      b: 8,
      c: "2001-12-14",
      d: 90,
      e: { "<<": { x: 1 } },
    });
    expect(codes("%YAML 1.1\n---\na: !!binary aGk=\n")).toEqual(["3:4 LAB009 /a"]);
  });

  it("reports a file's YAML warnings and still loads it", () => {
    const parsed = parseYamlFile("f.yaml", "%FOO bar\n---\na: 1\n");
    expect(parsed.sections).toEqual({ a: 1 });
    expect(parsed.cause).toBeNull();
    expect(parsed.diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`)).toEqual([
      "1:1 warning LAB001",
    ]);
  });

  it("reports an alias without an anchor (LAB001)", () => {
    expect(codes("servers:\n  a: *nothing\n")).toEqual(["2:6 LAB001 /servers/a"]);
  });

  it("reports a file that is not a mapping (LAB002)", () => {
    expect(codes("- a\n- b\n")).toEqual(["1:1 LAB002 "]);
    expect(codes("just text\n")).toEqual(["1:1 LAB002 "]);
    const parsed = parseYamlFile("f.yaml", "- a\n");
    expect(parsed.sections).toBeNull();
    expect(parsed.cause?.code).toBe("LAB002");
  });

  it("reports duplicate keys at the second one, keeps the first (LAB005)", () => {
    const parsed = parseYamlFile(
      "f.yaml",
      "servers:\n  a: { provider: aws }\n  a: { provider: ssh }\n",
    );
    expect(parsed.diagnostics).toEqual([
      {
        file: "f.yaml",
        line: 3,
        col: 3,
        severity: "error",
        code: "LAB005",
        pointer: "/servers/a",
        message: 'duplicate key "a" (first at f.yaml:2:3); the first one is used',
        related: [{ file: "f.yaml", line: 2, col: 3 }],
      },
    ]);
    expect(parsed.sections).toEqual({ servers: { a: { provider: "aws" } } });
  });

  it("shares anchored values with their aliases", () => {
    const parsed = parseYamlFile("f.yaml", "a: &x { k: [1, 2] }\nb: *x\n");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.sections).toEqual({ a: { k: [1, 2] }, b: { k: [1, 2] } });
  });

  it("stops a billion-laughs document quickly (LAB004)", () => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(",")}]`);
    }
    const started = performance.now();
    const parsed = parseYamlFile("bomb.yaml", lines.join("\n") + "\n");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["LAB004"]);
    expect(parsed.sections).toBeNull();
  });

  it("refuses an alias inside its own anchor (LAB004)", () => {
    expect(codes("a: &x [1, *x]\n")).toEqual(["1:11 LAB004 /a/1"]);
  });

  it("refuses nesting deeper than the limit (LAB003)", () => {
    const deep = "a: " + "[".repeat(MAX_DEPTH + 5) + "]".repeat(MAX_DEPTH + 5) + "\n";
    expect(codes(deep).map((c) => c.split(" ")[1])).toEqual(["LAB003"]);
  });

  it("recognises SOPS files by their top-level sops key", () => {
    expect(parseYamlFile("x.yaml", "data: ENC[abc]\nsops: { version: 3 }\n").sops).toBe(true);
  });

  it("keeps __proto__ as an ordinary key", () => {
    const parsed = parseYamlFile("f.yaml", "servers:\n  __proto__: { provider: aws }\n");
    const servers = (parsed.sections as { servers: object }).servers;
    expect(Object.keys(servers)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(servers)).toBe(Object.prototype);
  });

  it("counts columns after a byte-order mark as editors do", () => {
    expect(codes("\ufeffa: 1\na: 2\n")).toEqual(["2:1 LAB005 /a"]);
    expect(codes("\ufeffb: 1\nb: 2\n")[0]).toBe("2:1 LAB005 /b");
    const parsed = parseYamlFile("f.yaml", "\ufeffa: 1\na: 2\n");
    expect(parsed.diagnostics[0]?.related).toEqual([{ file: "f.yaml", line: 1, col: 1 }]);
  });

  it("uses numbers and booleans as string keys", () => {
    expect(parseYamlFile("f.yaml", "a: { 80: x, true: y, ~: z }\n").sections).toEqual({
      a: { "80": "x", true: "y", "": "z" },
    });
  });
});
