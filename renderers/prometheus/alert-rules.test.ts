import { describe, expect, it } from "vitest";
import { fixtureModel, type AlertInput } from "../../test/promtool/fixture-model.js";
import { renderAlertRules, userAlertExpr, userAlertRule } from "./alert-rules.js";
import { alertRulePath } from "./paths.js";

function alertOf(spec: AlertInput) {
  return fixtureModel([], [spec]).alerts[0]!;
}

describe("alertRulePath", () => {
  it("flattens folders and normalises the extension", () => {
    expect(alertRulePath("alerts.yaml")).toBe("prometheus/rules/alerts/alerts.yaml");
    expect(alertRulePath("monitoring/mail.yml")).toBe(
      "prometheus/rules/alerts/monitoring__mail.yaml",
    );
  });
});

describe("userAlertExpr", () => {
  it("turns a condition into a selective expression", () => {
    expect(userAlertExpr(alertOf({ name: "mq", condition: "mail_queue_length > 1000" }))).toEqual({
      expr: 'mail_queue_length{lab_alerts=~".*,mq,.*"} > 1000',
    });
  });
  it("restricts a raw expr to the members", () => {
    expect(userAlertExpr(alertOf({ name: "r", expr: "x{LAB_SELECTOR} > 1" }))).toEqual({
      expr: 'x{lab_alerts=~".*,r,.*"} > 1',
    });
  });
  it("reports a malformed condition as LAB221 at the alert", () => {
    expect(
      userAlertExpr(alertOf({ name: "bad", condition: "cpu = 9", file: "a.yaml", line: 5 })),
    ).toEqual({
      file: "a.yaml",
      line: 5,
      col: 3,
      severity: "error",
      code: "LAB221",
      pointer: "/alerts",
      message: 'alert "bad": condition "cpu = 9" is not `metric OP number` (OP: > < >= <= == !=)',
      fix: "write e.g. `mail_queue_length > 1000`, or use `expr:` for other PromQL",
    });
  });
  it("refuses a user alert named like a catalog check (LAB011)", () => {
    const d = userAlertExpr(alertOf({ name: "cpu_threshold", condition: "cpu > 1", line: 7 }));
    expect("code" in d ? [d.code, d.line, d.message] : d).toEqual([
      "LAB011",
      7,
      'alert "cpu_threshold" is defined twice: as a user alert and as a catalog check (both would select the servers of either through lab_alerts)',
    ]);
  });
  it("reports both or neither of condition and expr as LAB222", () => {
    const both = userAlertExpr(alertOf({ name: "b", condition: "x > 1", expr: "x > 1" }));
    const neither = userAlertExpr(alertOf({ name: "n" }));
    expect([both, neither].map((d) => ("code" in d ? [d.code, d.message] : d))).toEqual([
      ["LAB222", 'alert "b" has both condition and expr'],
      ["LAB222", 'alert "n" has neither condition nor expr'],
    ]);
  });
});

describe("userAlertRule", () => {
  it("carries for, severity, summary, description and the source", () => {
    const alert = alertOf({
      name: "mq",
      condition: "q > 1",
      for: "5m",
      severity: "critical",
      description: "queue stuck",
      file: "alerts/mail.yaml",
      line: 12,
    });
    expect(userAlertRule(alert, "E")).toEqual({
      alert: "mq",
      expr: "E",
      for: "5m",
      labels: { severity: "critical" },
      annotations: { summary: "q > 1", source: "alerts/mail.yaml:12", description: "queue stuck" },
    });
  });
  it("leaves out for when not set and prefers the user's summary", () => {
    const alert = alertOf({ name: "s", expr: "x > 1", summary: "Too much x" });
    expect(userAlertRule(alert, "E")).toEqual({
      alert: "s",
      expr: "E",
      labels: { severity: "warning" },
      annotations: { summary: "Too much x", source: "alerts.yaml:1" },
    });
  });
});

describe("renderAlertRules", () => {
  it("writes one file per declaring config file, rules sorted by name", () => {
    const model = fixtureModel(
      [],
      [
        { name: "zeta", condition: "z > 1", file: "alerts.yaml", line: 3 },
        { name: "alpha", condition: "a > 1", file: "alerts.yaml", line: 9 },
        { name: "mail", condition: "m > 1", file: "labels/mail.yaml", line: 30 },
      ],
    );
    const { value, diagnostics } = renderAlertRules(model);
    expect(diagnostics).toEqual([]);
    expect(value.map((a) => [a.path, a.sources.map((s) => s.line)])).toEqual([
      ["prometheus/rules/alerts/alerts.yaml", [3, 9]],
      ["prometheus/rules/alerts/labels__mail.yaml", [30]],
    ]);
    expect(value[0]!.content).toBe(
      [
        "groups:",
        "  - name: lab:alerts:alerts",
        "    rules:",
        "      - alert: alpha",
        "        annotations:",
        "          source: alerts.yaml:9",
        "          summary: a > 1",
        "        expr: 'a{lab_alerts=~\".*,alpha,.*\"} > 1'",
        "        labels:",
        "          severity: warning",
        "      - alert: zeta",
        "        annotations:",
        "          source: alerts.yaml:3",
        "          summary: z > 1",
        "        expr: 'z{lab_alerts=~\".*,zeta,.*\"} > 1'",
        "        labels:",
        "          severity: warning",
        "",
      ].join("\n"),
    );
  });
  it("drops a broken alert with its diagnostic and keeps the others", () => {
    const model = fixtureModel(
      [],
      [
        { name: "bad", condition: "nope", line: 2 },
        { name: "good", condition: "x > 1", line: 8 },
      ],
    );
    const { value, diagnostics } = renderAlertRules(model);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([["LAB221", 2]]);
    expect(
      value.map((a) => a.content.includes("alert: good") && !a.content.includes("bad")),
    ).toEqual([true]);
  });
});
