import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { canonicalYaml } from "../../core/canonical.js";
import { ruleFile, yamlScalar, type AlertingRule } from "./rule-file.js";

const TRICKY = [
  "warning",
  "5m",
  "1h30m",
  "0s",
  "1e3",
  "100",
  "0x1F",
  "1:20",
  "true",
  "No",
  "off",
  "y",
  "null",
  "~",
  ".inf",
  "",
  " leading",
  "trailing ",
  "a: b",
  "ends with colon:",
  "lab:checks:x",
  "alerts.yaml:12",
  "x # not a comment",
  "#comment",
  "- dash",
  "? question",
  "&anchor",
  "*alias",
  "!tag",
  "%directive",
  "@at",
  "`tick",
  "|block",
  ">folded",
  "[flow]",
  "{flow}",
  "it's",
  'say "hi"',
  "back\\slash",
  "two\nlines",
  "tab\there",
  "uni ✓ code",
  "\u2028sep",
  'x{a="1", lab_alerts=~".*,n,.*"} > 5',
  "CPU usage above 90% of the size's cores",
  "x on {{ $labels.lab_server }} is {{ $value }}",
];

describe("yamlScalar", () => {
  for (const version of ["1.1", "1.2"] as const) {
    it(`reads back as the same string in YAML ${version}`, () => {
      const back = TRICKY.map((s) => parse(`v: ${yamlScalar(s)}\n`, { version }) as { v: unknown });
      expect(back.map((b) => b.v)).toEqual(TRICKY);
    });
  }

  it("keeps names, durations and simple phrases plain", () => {
    expect(
      [
        "high_cpu",
        "5m",
        "1h30m",
        "critical",
        "mail_queue_length > 1000",
        "lab:checks:x",
        "a.yaml:3",
      ].map(yamlScalar),
    ).toEqual([
      "high_cpu",
      "5m",
      "1h30m",
      "critical",
      "mail_queue_length > 1000",
      "lab:checks:x",
      "a.yaml:3",
    ]);
  });

  it("single-quotes printable text and JSON-quotes the rest", () => {
    expect(yamlScalar(`x{a="1"} > 2`)).toBe(`'x{a="1"} > 2'`);
    expect(yamlScalar("it's")).toBe(`'it''s'`);
    expect(yamlScalar("a\nb")).toBe(`"a\\nb"`);
  });
});

describe("ruleFile", () => {
  const rules: AlertingRule[] = [
    {
      alert: "a",
      expr: 'up{job="x"} == 0',
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Down: it's {{ $labels.instance }}",
        source: "alerts.yaml:3",
        description: "two\nlines",
      },
    },
    {
      alert: "b",
      expr: "max by (lab_server) (\n  x\n) > 1",
      labels: { severity: "info" },
      annotations: { summary: "b" },
    },
  ];

  it("parses back to the rules it was given", () => {
    expect(parse(ruleFile("lab:alerts:x", rules))).toEqual({
      groups: [{ name: "lab:alerts:x", rules }],
    });
  });

  it("writes keys sorted, two-space indented", () => {
    expect(ruleFile("g", [rules[1]!])).toBe(
      [
        "groups:",
        "  - name: g",
        "    rules:",
        "      - alert: b",
        "        annotations:",
        "          summary: b",
        '        expr: "max by (lab_server) (\\n  x\\n) > 1"',
        "        labels:",
        "          severity: info",
        "",
      ].join("\n"),
    );
  });

  it("writes an empty group as an empty list", () => {
    expect(parse(ruleFile("g", []))).toEqual({ groups: [{ name: "g", rules: [] }] });
  });

  it("lays rules out byte for byte as canonicalYaml does where the strings are written alike", () => {
    const plain: AlertingRule[] = [
      {
        alert: "high_cpu",
        expr: "cpu_usage_percent > 90",
        for: "5m",
        labels: { severity: "warning" },
        annotations: { summary: "cpu_usage_percent > 90", source: "alerts.yaml:19" },
      },
      { alert: "b", expr: "x", labels: { severity: "info" }, annotations: {} },
    ];
    for (const version of ["1.1", "1.2"] as const) {
      for (const group of [plain, []]) {
        const doc = { groups: [{ name: "lab:alerts:x", rules: group }] };
        expect(ruleFile("lab:alerts:x", group)).toBe(canonicalYaml(doc, { version }));
      }
    }
  });

  it("differs from canonicalYaml in its scalars only: quoted PromQL, safe in 1.1 and 1.2", () => {
    expect(yamlScalar('up{job="x"} == 0')).toBe(`'up{job="x"} == 0'`);
    expect(canonicalYaml({ v: 'up{job="x"} == 0' })).toBe('v: up{job="x"} == 0\n');
    expect(yamlScalar("0o17")).toBe("'0o17'");
    expect(canonicalYaml({ v: "0o17" }, { version: "1.1" })).toBe("v: 0o17\n");
  });
});
