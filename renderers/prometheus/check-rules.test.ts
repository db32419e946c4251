import { describe, expect, it } from "vitest";
import { CHECKS, JOBS } from "../../core/check-catalog.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { checkRules, renderCheckRules } from "./check-rules.js";
import { sizeThreshold } from "./size-thresholds.js";

const SIZES = `
sizes:
  small: { abstract: { cores: 2, memory: 4GB } }
  large: { abstract: { cores: 8, memory: 32GB } }
  tuned: { abstract: { cores: 8, memory: 32GB }, thresholds: { cpu_percent: 70 } }
  bare: {}
  one: { abstract: { cores: 1, memory: 512MB } }
`;

describe("sizeThreshold", () => {
  it("derives cpu and memory thresholds from the abstract shape, or takes the size's own", async () => {
    const model = await modelFromYaml(SIZES);
    const table = model.sizes.map((s) => [
      s.name,
      sizeThreshold(s, "cpu_percent").value,
      sizeThreshold(s, "memory_percent").value,
    ]);
    expect(table).toEqual([
      ["bare", 90, 90],
      ["large", 87, 95],
      ["one", 50, 50],
      ["small", 50, 75],
      ["tuned", 70, 95],
    ]);
    const tuned = model.sizes.find((s) => s.name === "tuned")!;
    expect(sizeThreshold(tuned, "cpu_percent").why).toBe("set in sizes.tuned.thresholds");
    expect(sizeThreshold(tuned, "memory_percent").why).toBe(
      "1GB of its 32GB free (from size: tuned)",
    );
  });
});

describe("checkRules", () => {
  it("gives a sized check one rule per size in use, each selecting its size", async () => {
    const model = await modelFromYaml(SIZES);
    const sizes = model.sizes.filter((s) => s.name === "small" || s.name === "large");
    const rules = checkRules("cpu_threshold", sizes);
    expect(rules.map((r) => [r.alert, r.labels, r.expr])).toEqual([
      [
        "cpu_threshold",
        { severity: "warning", lab_size: "large" },
        '100 * (1 - avg by (lab_server) (rate(node_cpu_seconds_total{mode="idle", lab_alerts=~".*,cpu_threshold,.*", lab_size="large"}[5m]))) > 87',
      ],
      [
        "cpu_threshold",
        { severity: "warning", lab_size: "small" },
        '100 * (1 - avg by (lab_server) (rate(node_cpu_seconds_total{mode="idle", lab_alerts=~".*,cpu_threshold,.*", lab_size="small"}[5m]))) > 50',
      ],
      [
        "cpu_threshold_no_data",
        { severity: "warning" },
        'up{job="node", lab_alerts=~".*,cpu_threshold,.*"} == 0',
      ],
    ]);
    expect(rules[0]!.annotations).toEqual({
      summary: "CPU usage above the threshold of the server's size: 87% for size large",
      threshold: "87%: one of its 8 cores idle (from size: large)",
    });
  });

  it("pairs a probe check with its probes being down, a per-server check with its exporter", () => {
    expect(checkRules("smtp_connect").map((r) => [r.alert, r.expr])).toEqual([
      ["smtp_connect", 'probe_success{probe="smtp", lab_alerts=~".*,smtp_connect,.*"} == 0'],
      [
        "smtp_connect_no_data",
        'up{job="blackbox", probe="smtp", lab_alerts=~".*,smtp_connect,.*"} == 0',
      ],
    ]);
    expect(checkRules("mysql_up").map((r) => r.expr)).toEqual([
      'mysql_up{lab_alerts=~".*,mysql_up,.*"} == 0',
      'up{job="mysqld", lab_alerts=~".*,mysql_up,.*"} == 0',
    ]);
  });

  it("leaves a cluster exporter's series unrestricted and joins them to the members", () => {
    const [ready, noData] = checkRules("node_ready");
    expect(ready!.expr).toBe(
      '(kube_node_status_condition{condition="Ready", status="true"} == 0) * on (node) group_left (lab_server) group by (node, lab_server) (label_replace(up{job="node", lab_alerts=~".*,node_ready,.*"}, "node", "$1", "lab_server", "(.*)"))',
    );
    expect(noData!.expr).toBe(
      'group by (lab_server) (up{job="node", lab_alerts=~".*,node_ready,.*"}) unless on (lab_server) label_replace(kube_node_status_condition{condition="Ready", status="true"}, "lab_server", "$1", "node", "(.*)")',
    );
  });

  it("gives no companion to a check that is itself its job's targets being down", () => {
    expect(checkRules("kubelet_healthy").map((r) => r.alert)).toEqual(["kubelet_healthy"]);
  });

  it("gives every other catalog check a companion named <check>_no_data", () => {
    const without = [...CHECKS.keys()].filter(
      (name) => !checkRules(name, []).some((r) => r.alert === `${name}_no_data`),
    );
    expect(without).toEqual(["kubelet_healthy"]);
  });

  it("names a known job for every check", () => {
    expect([...CHECKS.values()].filter((c) => !JOBS.has(c.job)).map((c) => c.name)).toEqual([]);
  });
});

describe("renderCheckRules", () => {
  it("writes one file per check in use with the sizes its members have", async () => {
    const model = await modelFromYaml(
      SIZES +
        "servers:\n  a: { provider: ssh, size: small }\n  b: { provider: ssh, size: small }\n",
    );
    const files = renderCheckRules(model);
    expect(files.map((f) => f.path)).toEqual([
      "prometheus/rules/checks/cert_expiry.yaml",
      "prometheus/rules/checks/cpu_threshold.yaml",
      "prometheus/rules/checks/memory_threshold.yaml",
      "prometheus/rules/checks/puppet_run_failed.yaml",
    ]);
    const cpu = files[1]!.content;
    expect(cpu.match(/- alert: /g)).toHaveLength(2);
    expect(cpu).toContain('lab_size="small"');
    expect(cpu).not.toContain('lab_size="large"');
    expect(files[1]!.sources.map((s) => s.line)).toEqual([3]);
  });
});
