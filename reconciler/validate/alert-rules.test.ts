import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostics.js";
import { loadRepo } from "../load/load-repo.js";
import { memorySource } from "../load/memory-source.js";
import { isDuration } from "./alert-rules.js";
import { validate } from "./validate.js";

describe("isDuration", () => {
  it.each(["0", "30s", "5m", "1h30m", "90d", "2w", "1y", "500ms", "1h0m0s", "1d12h"])(
    "accepts %s",
    (text) => expect(isDuration(text)).toBe(true),
  );
  it.each(["", "5", "5 min", "1x", "m", "30m1h", "1.5h", "-5m", "5mm", "1h 30m", "5M"])(
    "refuses %j",
    (text) => expect(isDuration(text)).toBe(false),
  );
});

const BASE = "labels:\n  web: {}\nservers:\n  web-1: { provider: ssh, labels: [web] }\n";

async function alertDiagnostics(alerts: string): Promise<string[]> {
  const { value, diagnostics } = await loadRepo(
    memorySource({ "base.yaml": BASE, "alerts.yaml": `alerts:\n${alerts}` }),
  );
  expect(diagnostics).toEqual([]);
  return validate(value)
    .filter((d: Diagnostic) => d.file === "alerts.yaml")
    .map((d) => `${d.line}:${d.col} ${d.code} ${d.pointer} | ${d.message}`);
}

function alert(name: string, key: "condition" | "expr", value: string): string {
  return `  - name: ${name}\n    target: { labels: [web] }\n    ${key}: ${value}\n`;
}

describe("conditions (LAB221): the PromQL parser, located at the problem", () => {
  it.each([
    "mail_queue_length > 1000",
    "memory_usage_percent>90",
    "up == 0",
    "disk_free_ratio <= 0.1",
    "load1 >= 1e3",
    "temp != -5",
    "ratio < 1.",
    "x > 0x1F",
    "'http_errors{code=\"500\"} > 3'",
    '\'node:cpu:ratio{instance=~"web.*", job!="x"} < .5\'',
    "'x{path=\"/a{b}\"} > 1'",
    "x{} > 1",
  ])("accepts %s", async (condition) => {
    expect(await alertDiagnostics(alert("a", "condition", condition))).toEqual([]);
  });

  it.each([
    ["memory_usage_percent => 90", 37, '"=" is not a comparison; did you mean "=="?'],
    ["mail_queue_length >> 1000", 35, 'unexpected ">"'],
    ["mail_queue_length > lots", 36, '"lots" after > is not a number'],
    ["1000 < mail_queue_length", 16, "the left side is a number, not a metric name"],
    ["rate(x[5m]) > 1", 16, "the left side is a function call, not a metric name"],
    ["mail queue > 1", 21, 'unexpected "queue"'],
    ["up", 16, "no comparison"],
    ["x{code=500} > 1", 23, 'unexpected "500"'],
    ["x > 1 and y > 2", 16, "is not `metric OP number`"],
    ["x > bool 1", 20, '"bool" has no place in a condition; use expr:'],
  ])("refuses %j at column %i", async (condition, col, message) => {
    const [d, ...rest] = await alertDiagnostics(alert("a", "condition", condition));
    expect(rest).toEqual([]);
    expect(d).toContain(`4:${col} LAB221 /alerts/0/condition | alert a: malformed condition`);
    expect(d).toContain(message);
  });
});

describe("expressions (LAB223): the PromQL parser, located at the problem", () => {
  it.each([
    'sum by (instance) (rate(http_requests_total{code=~"5.."}[5m])) > 1',
    "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m]))) > 0.5",
    'absent(up{job="node"})',
    "x - x offset 1d > 10",
    "max_over_time(x[1h:5m]) > 3",
    "|\n      sum by (instance) (\n        rate(x[5m])\n      ) > 1",
  ])("accepts %j", async (expr) => {
    expect(await alertDiagnostics(alert("a", "expr", expr))).toEqual([]);
  });

  it("locates a problem in a plain scalar", async () => {
    expect(await alertDiagnostics(alert("a", "expr", "rate(x) > 1"))).toEqual([
      '4:16 LAB223 /alerts/0/expr | alert a: malformed PromQL expression: expected type range vector in call to function "rate", got instant vector (at "x) > 1")',
    ]);
  });

  it("locates a problem in a quoted scalar that YAML could not write plain", async () => {
    expect(await alertDiagnostics(alert("a", "expr", "'{job=\"a\"} > rate(x)'"))).toEqual([
      '4:29 LAB223 /alerts/0/expr | alert a: malformed PromQL expression: expected type range vector in call to function "rate", got instant vector (at "x)")',
    ]);
  });

  it("is one column early in a quoted scalar that could be plain (the source map gives the quote)", async () => {
    expect(await alertDiagnostics(alert("a", "expr", '"foo(x{a=\\"b\\"}) > 1"'))).toEqual([
      '4:11 LAB223 /alerts/0/expr | alert a: malformed PromQL expression: unknown function "foo" (at "foo(x{a="b"}) > 1")',
    ]);
  });

  it("locates a problem on its line inside a block scalar", async () => {
    const expr = "|\n      sum by (instance) (\n        rate(x[5m]) +\n      ) > 1";
    expect(await alertDiagnostics(alert("a", "expr", expr))).toEqual([
      '7:7 LAB223 /alerts/0/expr | alert a: malformed PromQL expression: unexpected ")" (at ") > 1")',
    ]);
  });

  it("refuses an expression with no selector: it cannot be restricted to servers", async () => {
    const [d] = await alertDiagnostics(alert("a", "expr", "vector(1) > 0"));
    expect(d).toBe(
      `4:11 LAB223 /alerts/0/expr | alert a: malformed PromQL expression: it reads no series (no vector selector), so lab cannot restrict it to the alert's servers (at "vector(1) > 0")`,
    );
  });

  it("tells a repo written for the old LAB_SELECTOR placeholder to drop it", async () => {
    const { value } = await loadRepo(
      memorySource({
        "base.yaml": BASE,
        "alerts.yaml": `alerts:\n${alert("a", "expr", "rate(x{LAB_SELECTOR}[5m]) > 1")}`,
      }),
    );
    const [d] = validate(value).filter((x) => x.code === "LAB223");
    expect([d?.line, d?.col, d?.fix]).toEqual([
      4,
      18,
      "remove LAB_SELECTOR: lab puts the membership matcher into every selector itself",
    ]);
  });

  it("refuses an expression that does not give an instant vector", async () => {
    const [d] = await alertDiagnostics(alert("a", "expr", "scalar(up) > bool 1"));
    expect(d).toContain(
      "4:11 LAB223 /alerts/0/expr | alert a: malformed PromQL expression: it gives a scalar",
    );
    const [range] = await alertDiagnostics(alert("b", "expr", "up[5m]"));
    expect(range).toContain("it gives a matrix");
  });
});

describe("alert names (LAB011)", () => {
  it("refuses a user alert named like a catalog check or a check's no-data companion", async () => {
    const d = await alertDiagnostics(
      alert("cpu_threshold", "condition", "x > 1") +
        alert("smtp_connect_no_data", "condition", "x > 1"),
    );
    expect(d).toEqual([
      "2:11 LAB011 /alerts/0/name | alert cpu_threshold has the name of a built-in check (the catalog defines cpu_threshold); alert names must be unique",
      "5:11 LAB011 /alerts/1/name | alert smtp_connect_no_data has the name of the no-data companion of the built-in check smtp_connect; alert names must be unique",
    ]);
  });
});
