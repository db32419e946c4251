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

  it("reports several documents in one file as a syntax error", () => {
    expect(codes("a: 1\n---\nb: 2\n")).toEqual(["2:1 LAB001 "]);
  });

  it("reports an alias without an anchor (LAB001)", () => {
    expect(codes("servers:\n  a: *nothing\n")).toEqual(["2:6 LAB001 /servers/a"]);
  });

  it("reports a file that is not a mapping (LAB002)", () => {
    expect(codes("- a\n- b\n")).toEqual(["1:1 LAB002 "]);
    expect(codes("just text\n")).toEqual(["1:1 LAB002 "]);
    expect(parseYamlFile("f.yaml", "- a\n").sections).toBeNull();
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
