import { describe, expect, it } from "vitest";
import { fixtureModel } from "../../test/promtool/fixture-model.js";
import { prometheusRenderer } from "./prometheus-renderer.js";

const MODEL = fixtureModel(
  [
    {
      name: "mail-1",
      labels: ["mailserver"],
      environment: "prod",
      checks: ["smtp_connect", "puppet_run_failed"],
      alerts: ["mail_queue_critical"],
      line: 3,
    },
    { name: "db-1", checks: ["puppet_run_failed"], line: 9 },
  ],
  [
    {
      name: "mail_queue_critical",
      condition: "mail_queue_length > 1000",
      for: "5m",
      severity: "critical",
      line: 2,
    },
  ],
);

describe("prometheusRenderer", () => {
  it("is named prometheus", () => {
    expect(prometheusRenderer.name).toBe("prometheus");
  });

  it("renders check rules, user-alert rules and targets, sorted by path", () => {
    const { value, diagnostics } = prometheusRenderer.render(MODEL);
    expect(diagnostics).toEqual([]);
    expect(value.map((a) => a.path)).toEqual([
      "prometheus/rules/alerts/alerts.yaml",
      "prometheus/rules/checks/puppet_run_failed.yaml",
      "prometheus/rules/checks/smtp_connect.yaml",
      "prometheus/targets/db-1.json",
      "prometheus/targets/mail-1.json",
    ]);
  });

  it("renders a catalog check with its catalog for, severity and summary", () => {
    const smtp = prometheusRenderer
      .render(MODEL)
      .value.find((a) => a.path.endsWith("smtp_connect.yaml"))!;
    expect(smtp.content).toBe(
      [
        "groups:",
        "  - name: lab:checks:smtp_connect",
        "    rules:",
        "      - alert: smtp_connect",
        "        annotations:",
        "          summary: SMTP is not answering",
        '        expr: \'probe_success{probe="smtp", lab_alerts=~".*,smtp_connect,.*"} == 0\'',
        "        for: 5m",
        "        labels:",
        "          severity: critical",
        "",
      ].join("\n"),
    );
    expect(smtp.sources).toEqual([{ file: "labels.yaml", line: 10, col: 3 }]);
  });

  it("keeps rule files independent of membership: only target files change when servers do", () => {
    const before = prometheusRenderer.render(MODEL).value;
    const grown = fixtureModel(
      [
        {
          name: "mail-1",
          labels: ["mailserver"],
          environment: "prod",
          checks: ["smtp_connect", "puppet_run_failed"],
          alerts: ["mail_queue_critical"],
          line: 3,
        },
        {
          name: "mail-2",
          labels: ["mailserver"],
          checks: ["smtp_connect", "puppet_run_failed"],
          alerts: ["mail_queue_critical"],
          line: 5,
        },
        { name: "db-1", checks: ["puppet_run_failed"], line: 9 },
      ],
      [
        {
          name: "mail_queue_critical",
          condition: "mail_queue_length > 1000",
          for: "5m",
          severity: "critical",
          line: 2,
        },
      ],
    );
    const after = prometheusRenderer.render(grown).value;
    const hashes = new Map(before.map((a) => [a.path, a.hash]));
    const changed = after.filter((a) => hashes.get(a.path) !== a.hash).map((a) => a.path);
    expect(changed).toEqual(["prometheus/targets/mail-2.json"]);
  });

  it("leaves out checks no server gets and reports unknown checks", () => {
    const model = fixtureModel([{ name: "a", labels: ["x"], checks: ["no_such_check"] }]);
    model.checks.push({ name: "smtp_connect", members: [] });
    const { value, diagnostics } = prometheusRenderer.render(model);
    expect(value.map((a) => a.path)).toEqual(["prometheus/targets/a.json"]);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.message.slice(0, 40)])).toEqual([
      ["LAB205", "labels.yaml", 10, 'unknown check "no_such_check" (known: ce'],
    ]);
  });

  it("gives the same bytes for the same model", () => {
    const a = prometheusRenderer.render(MODEL).value;
    const b = prometheusRenderer.render(structuredClone(MODEL)).value;
    expect(b).toEqual(a);
  });
});
