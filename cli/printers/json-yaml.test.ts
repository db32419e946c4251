import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatJson } from "./json.js";
import { formatYaml } from "./yaml.js";

describe("json and yaml printers", () => {
  it("JSON: two-space indent, view key order kept, trailing newline", () => {
    expect(formatJson({ name: "a", labels: ["x"] })).toBe(
      '{\n  "name": "a",\n  "labels": [\n    "x"\n  ]\n}\n',
    );
  });

  it("YAML keeps the view's key order and parses back to the same value", () => {
    const value = { name: "db-1", environment: null, alerts: [{ name: "x", from: [] }] };
    const text = formatYaml(value);
    expect(text.startsWith("name: db-1\n")).toBe(true);
    expect(text.endsWith("\n")).toBe(true);
    expect(parse(text)).toEqual(value);
  });
});
