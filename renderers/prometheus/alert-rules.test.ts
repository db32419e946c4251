import { describe, expect, it } from "vitest";
import { modelFromYaml } from "../../test/yaml-model.js";
import { renderAlertRules, userAlertExpr, userAlertRule } from "./alert-rules.js";
import { alertRulePath } from "./paths.js";

const SERVERS = `
labels:
  mail: {}
servers:
  mail-1: { provider: ssh, labels: [mail] }
`;

async function alertsOf(alerts: string, file = "alerts.yaml") {
  const model = await modelFromYaml({ "servers.yaml": SERVERS, [file]: `alerts:\n${alerts}` });
  return model;
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
  it.each([
    ["condition: mail_queue_length > 1000", 'mail_queue_length{lab_alerts=~".*,a,.*"} > 1000'],
    [
      "condition: 'disk_used{mount=\"/\"} >= 9.5e1'",
      'disk_used{mount="/", lab_alerts=~".*,a,.*"} >= 9.5e1',
    ],
    [
      "expr: sum by (instance) (rate(errors_total[5m])) > 1",
      'sum by (instance) (rate(errors_total{lab_alerts=~".*,a,.*"}[5m])) > 1',
    ],
    [
      "expr: sum(rate(e[5m])) / on () sum(rate(r[5m])) > 0.1",
      'sum(rate(e{lab_alerts=~".*,a,.*"}[5m])) / on () sum(rate(r{lab_alerts=~".*,a,.*"}[5m])) > 0.1',
    ],
    ['expr: absent(up{job="x"})', 'absent(up{job="x", lab_alerts=~".*,a,.*"})'],
  ])("%s", async (line, want) => {
    const model = await alertsOf(`  - name: a\n    target: { labels: [mail] }\n    ${line}\n`);
    expect(userAlertExpr(model.alerts[0]!)).toBe(want);
  });
});

describe("userAlertRule", () => {
  it("carries for, severity, summary, description and the source", async () => {
    const model = await alertsOf(
      [
        "  - name: mq",
        "    target: { labels: [mail] }",
        "    condition: q > 1",
        "    for: 5m",
        "    severity: critical",
        "    description: queue stuck",
        "",
      ].join("\n"),
      "alerts/mail.yaml",
    );
    expect(userAlertRule(model.alerts[0]!, "E")).toEqual({
      alert: "mq",
      expr: "E",
      for: "5m",
      labels: { severity: "critical" },
      annotations: { summary: "q > 1", source: "alerts/mail.yaml:2", description: "queue stuck" },
    });
  });
  it("leaves out for when not set and prefers the user's summary", async () => {
    const model = await alertsOf(
      "  - name: s\n    target: { labels: [mail] }\n    expr: x > 1\n    summary: Too much x\n",
    );
    expect(userAlertRule(model.alerts[0]!, "E")).toEqual({
      alert: "s",
      expr: "E",
      labels: { severity: "warning" },
      annotations: { summary: "Too much x", source: "alerts.yaml:2" },
    });
  });
});

describe("renderAlertRules", () => {
  it("writes one file per declaring config file, rules sorted by name", async () => {
    const model = await modelFromYaml({
      "servers.yaml": SERVERS,
      "alerts.yaml": [
        "alerts:",
        "  - name: zeta",
        "    target: { labels: [mail] }",
        "    condition: z > 1",
        "  - name: alpha",
        "    target: { labels: [mail] }",
        "    condition: a > 1",
        "",
      ].join("\n"),
      "labels/mail.yaml":
        "alerts:\n  - name: mail\n    target: { labels: [mail] }\n    condition: m > 1\n",
    });
    const value = renderAlertRules(model);
    expect(value.map((a) => [a.path, a.sources.map((s) => s.line)])).toEqual([
      ["prometheus/rules/alerts/alerts.yaml", [2, 5]],
      ["prometheus/rules/alerts/labels__mail.yaml", [2]],
    ]);
    expect(value[0]!.content).toBe(
      [
        "groups:",
        "  - name: lab:alerts:alerts",
        "    rules:",
        "      - alert: alpha",
        "        annotations:",
        "          source: alerts.yaml:5",
        "          summary: a > 1",
        "        expr: 'a{lab_alerts=~\".*,alpha,.*\"} > 1'",
        "        labels:",
        "          severity: warning",
        "      - alert: zeta",
        "        annotations:",
        "          source: alerts.yaml:2",
        "          summary: z > 1",
        "        expr: 'z{lab_alerts=~\".*,zeta,.*\"} > 1'",
        "        labels:",
        "          severity: warning",
        "",
      ].join("\n"),
    );
  });
});
