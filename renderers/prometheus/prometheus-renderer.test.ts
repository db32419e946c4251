import { describe, expect, it } from "vitest";
import { modelFromYaml } from "../../test/yaml-model.js";
import { prometheusRenderer } from "./prometheus-renderer.js";

const LABELS = `
labels:
  mailserver: { ports: [25], alerts: [mail_queue_length] }
  db: {}
`;
const ALERTS = `
alerts:
  - name: mail_queue_critical
    target: { labels: [mailserver] }
    condition: mail_queue_length > 1000
    for: 5m
    severity: critical
`;
const SERVERS = `
servers:
  mail-1: { provider: ssh, labels: [mailserver], environment: prod }
  db-1: { provider: ssh, labels: [db] }
`;

function repo(servers = SERVERS) {
  return modelFromYaml({ "labels.yaml": LABELS, "alerts.yaml": ALERTS, "servers.yaml": servers });
}

describe("prometheusRenderer", () => {
  it("is named prometheus", () => {
    expect(prometheusRenderer.name).toBe("prometheus");
  });

  it("renders rules, targets, probes, the scrape jobs and the blackbox modules, sorted by path", async () => {
    const { value, diagnostics } = prometheusRenderer.render(await repo());
    expect(diagnostics).toEqual([]);
    expect(value.map((a) => a.path)).toEqual([
      "prometheus/blackbox.yaml",
      "prometheus/probes/mail-1.json",
      "prometheus/rules/alerts/alerts.yaml",
      "prometheus/rules/checks/cert_expiry.yaml",
      "prometheus/rules/checks/mail_queue_length.yaml",
      "prometheus/rules/checks/puppet_run_failed.yaml",
      "prometheus/rules/checks/smtp_connect.yaml",
      "prometheus/scrape.yaml",
      "prometheus/targets/db-1.json",
      "prometheus/targets/mail-1.json",
    ]);
  });

  it("renders a catalog check with its catalog for, severity and summary, and its companion", async () => {
    const smtp = prometheusRenderer
      .render(await repo())
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
        "      - alert: smtp_connect_no_data",
        "        annotations:",
        "          description: 'smtp_connect reads probe_success; without those series it cannot fire.'",
        "          summary: 'No data for smtp_connect: blackbox_exporter (job blackbox) is down or missing'",
        '        expr: \'up{job="blackbox", probe="smtp", lab_alerts=~".*,smtp_connect,.*"} == 0\'',
        "        for: 5m",
        "        labels:",
        "          severity: critical",
        "",
      ].join("\n"),
    );
    expect(smtp.sources).toEqual([{ file: "labels.yaml", line: 3, col: 15 }]);
  });

  it("keeps rules and scrape jobs independent of membership: only targets change when servers do", async () => {
    const before = prometheusRenderer.render(await repo()).value;
    const grown = SERVERS + "  mail-2: { provider: ssh, labels: [mailserver] }\n";
    const after = prometheusRenderer.render(await repo(grown)).value;
    const hashes = new Map(before.map((a) => [a.path, a.hash]));
    const changed = after.filter((a) => hashes.get(a.path) !== a.hash).map((a) => a.path);
    expect(changed).toEqual(["prometheus/probes/mail-2.json", "prometheus/targets/mail-2.json"]);
  });

  it("leaves out checks no server gets", async () => {
    const { value } = prometheusRenderer.render(
      await repo("servers:\n  db-1: { provider: ssh, labels: [db] }\n"),
    );
    expect(value.filter((a) => a.path.includes("smtp") || a.path.includes("probes/"))).toEqual([]);
  });

  it("gives the same bytes for the same model", async () => {
    const model = await repo();
    const a = prometheusRenderer.render(model).value;
    const b = prometheusRenderer.render(structuredClone(model)).value;
    expect(b).toEqual(a);
  });
});
