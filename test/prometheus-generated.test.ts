/**
 * Rendered rules for generated repos pass the real `promtool check rules`, and a rule's bytes do
 * not depend on how many servers it covers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateRepo, scaleFor } from "../bench/generate.js";
import { CHECKS } from "../core/check-catalog.js";
import { hasErrors } from "../core/diagnostics.js";
import type { Artifact } from "../core/renderer.js";
import { prometheusRenderer } from "../renderers/prometheus/prometheus-renderer.js";
import { resolveDir } from "./promtool/resolve-dir.js";
import { runTool, writeArtifacts } from "./promtool/run-tool.js";
import { modelFromYaml } from "./yaml-model.js";

const temps: string[] = [];

afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function checkRules(
  artifacts: readonly Artifact[],
): Promise<{ files: number; code: number; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), "lab-prom-gen-"));
  temps.push(dir);
  const rules = (await writeArtifacts(dir, artifacts)).filter((p) =>
    p.includes("/prometheus/rules/"),
  );
  const result = await runTool("promtool", ["check", "rules", ...rules]);
  return { files: rules.length, code: result.code, stderr: result.stderr };
}

/** Alerts of every condition form and raw expressions as the public rule collections write them. */
const ALERTS = [
  "  - { name: queue, condition: queue_length > 100, for: 5m, severity: critical }",
  '  - { name: disk, condition: \'disk_used_percent{mount="/", fstype!="tmpfs"} >= 9.5e1\' }',
  "  - { name: neg, condition: temperature_celsius <= -10, for: 1h30m }",
  '  - { name: braces, condition: \'http_errors{path="/a{b}", code=~"5.."} > 1\' }',
  "  - { name: quotes, condition: 'q{a=\"say \\\"hi\\\"\"} > .5', for: '0' }",
  "  - { name: rate_raw, expr: 'rate(http_errors_total[5m]) > 0.5', severity: info }",
  "  - { name: agg_raw, expr: 'sum by (instance) (rate(node_network_receive_errs_total[2m])) > 0' }",
  "  - { name: quantile_raw, expr: 'histogram_quantile(0.99, sum by (le, instance) (rate(http_request_duration_seconds_bucket[5m]))) > 1' }",
  "  - { name: ratio_raw, expr: 'sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05' }",
  "  - { name: absent_raw, expr: 'absent(up{job=\"node\"})' }",
  "  - { name: offset_raw, expr: 'node_time_seconds - node_time_seconds offset 1h > 3700' }",
  "  - { name: subquery_raw, expr: 'max_over_time(rate(node_cpu_seconds_total[1m])[10m:1m]) > 0.9' }",
  "  - { name: templated, condition: x != 0, summary: 'x on {{ $labels.lab_server }} is {{ $value }}' }",
];

/** `servers` servers over 7 labels that declare every catalog check between them, two sizes. */
function variedYaml(servers: number): Record<string, string> {
  const checks = [...CHECKS.keys()];
  const labels = Array.from({ length: 7 }, (_, i) => {
    const own = checks.filter((_, j) => (i + j) % 3 === 0);
    return `  role-${i}: { alerts: [${own.join(", ")}] }`;
  });
  const alerts = ALERTS.map((a, j) =>
    a.replace(/^  - \{ /, `  - { target: { labels: [role-${j % 7}] }, `),
  );
  const list = Array.from({ length: servers }, (_, i) => {
    const size = i % 2 === 0 ? "small" : "large";
    return `  host-${String(i).padStart(4, "0")}: { provider: ssh, labels: [role-${i % 7}], size: ${size} }`;
  });
  return {
    "labels.yaml": ["labels:", ...labels, ""].join("\n"),
    "sizes.yaml":
      "sizes:\n  small: { abstract: { cores: 2, memory: 4GB } }\n  large: { abstract: { cores: 8, memory: 32GB } }\n",
    "alerts/varied.yaml": ["alerts:", ...alerts, ""].join("\n"),
    "servers.yaml": ["servers:", ...list, ""].join("\n"),
  };
}

describe("promtool check rules on generated input", () => {
  it("accepts the rules of a generated repo (bench generator, 1,000 servers)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-prom-repo-"));
    temps.push(dir);
    await generateRepo(dir, { ...scaleFor(1000), seed: 11 });
    const { model, diagnostics } = await resolveDir(dir);
    expect(hasErrors(diagnostics)).toBe(false);
    const rendered = prometheusRenderer.render(model);
    expect(rendered.diagnostics).toEqual([]);
    const result = await checkRules(rendered.value);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.files).toBeGreaterThan(5);
    expect(rendered.value.filter((a) => a.path.startsWith("prometheus/targets/"))).toHaveLength(
      1000,
    );
  });

  it("accepts every condition form, raw expressions and all catalog checks", async () => {
    const rendered = prometheusRenderer.render(await modelFromYaml(variedYaml(30)));
    expect(rendered.diagnostics).toEqual([]);
    const result = await checkRules(rendered.value);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.files).toBe(CHECKS.size + 1);
  });

  it("refuses a broken rule (the check can fail)", async () => {
    const result = await checkRules([
      {
        path: "prometheus/rules/alerts/bad.yaml",
        content: "groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: x >\n",
        hash: "",
        sources: [],
      },
    ]);
    expect(result.code).toBe(1);
  });
});

describe("rule size", () => {
  it("does not grow with the number of servers an alert covers", async () => {
    const rules = async (n: number) =>
      prometheusRenderer
        .render(await modelFromYaml(variedYaml(n)))
        .value.filter(
          (a) => a.path.startsWith("prometheus/rules/") || a.path.endsWith("scrape.yaml"),
        )
        .map((a) => [a.path, a.content]);
    expect(await rules(2000)).toEqual(await rules(14));
  });
});
