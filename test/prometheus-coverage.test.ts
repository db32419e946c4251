/**
 * Every metric a rendered catalog rule reads is produced by a job in the rendered scrape.yaml
 * (or by lab's own /metrics, which is one of those jobs): on examples/infra-repo and on a
 * bench-generated repo. `up{job="x"}` needs job x rendered. User alerts read what the user's own
 * exporters produce; for the example repo those metrics are listed exactly.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateRepo, scaleFor } from "../bench/generate.js";
import { CHECKS, JOBS } from "../core/check-catalog.js";
import { parsePromql } from "../core/promql/promql.js";
import type { Artifact } from "../core/renderer.js";
import { prometheusRenderer } from "../renderers/prometheus/prometheus-renderer.js";
import { EXAMPLE } from "./golden-harness.js";
import { resolveDir } from "./promtool/resolve-dir.js";
import { modelFromYaml } from "./yaml-model.js";

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

interface RuleFile {
  groups: { rules: { alert: string; expr: string }[] }[];
}

/** The job names in scrape.yaml. */
function renderedJobs(artifacts: readonly Artifact[]): Set<string> {
  const scrape = artifacts.find((a) => a.path === "prometheus/scrape.yaml")!;
  const doc = parse(scrape.content) as { scrape_configs: { job_name: string }[] };
  return new Set(doc.scrape_configs.map((j) => j.job_name));
}

/** `metric (rule)` for every selector of `rules` that no rendered job produces. */
function unproduced(
  rules: readonly { alert: string; expr: string }[],
  jobs: ReadonlySet<string>,
): string[] {
  const produced = new Set([...jobs].flatMap((j) => JOBS.get(j)?.metrics ?? []));
  const out: string[] = [];
  for (const rule of rules) {
    const parsed = parsePromql(rule.expr);
    if ("error" in parsed) {
      out.push(`unparsable (${rule.alert}): ${parsed.error.message}`);
      continue;
    }
    for (const s of parsed.expr.selectors) {
      const job = s.matchers.find((m) => m.name === "job" && m.op === "=")?.value;
      const ok =
        s.metric === "up" ? job === undefined || jobs.has(job) : produced.has(s.metric ?? "");
      if (!ok) out.push(`${s.metric === "up" ? `up{job="${job}"}` : s.metric} (${rule.alert})`);
    }
  }
  return [...new Set(out)].sort();
}

function rulesIn(artifacts: readonly Artifact[], folder: string) {
  return artifacts
    .filter((a) => a.path.startsWith(`prometheus/rules/${folder}/`))
    .flatMap((a) => (parse(a.content) as RuleFile).groups.flatMap((g) => g.rules));
}

async function render(dir: string): Promise<Artifact[]> {
  const { model } = await resolveDir(dir);
  return prometheusRenderer.render(model).value;
}

describe("every metric a rendered rule reads has a producer", () => {
  it("examples/infra-repo: catalog rules read only what rendered jobs produce", async () => {
    const artifacts = await render(EXAMPLE);
    const rules = rulesIn(artifacts, "checks");
    expect(rules.length).toBeGreaterThan(30);
    expect(unproduced(rules, renderedJobs(artifacts))).toEqual([]);
  });

  it("examples/infra-repo: user alerts read exactly these metrics of the user's own exporters", async () => {
    const artifacts = await render(EXAMPLE);
    expect(unproduced(rulesIn(artifacts, "alerts"), renderedJobs(artifacts))).toEqual([
      "ci_pending_jobs (ci_queue_backlog)",
      "cpu_usage_percent (high_cpu)",
      "disk_io_utilization_percent (storage_iops)",
      "disk_usage_percent (disk_space_low)",
      "gpu_temp_celsius (gpu_temperature)",
      "mail_queue_length (mail_queue_critical)",
      "memory_usage_percent (memory_pressure)",
      "network_latency_ms (network_latency_high)",
    ]);
  });

  it("a bench-generated repo (1,000 servers): catalog rules read only what rendered jobs produce", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-prom-coverage-"));
    temps.push(dir);
    await generateRepo(dir, { ...scaleFor(1000), seed: 5 });
    const artifacts = await render(dir);
    const rules = rulesIn(artifacts, "checks");
    expect(new Set(rules.map((r) => r.alert)).size).toBeGreaterThan(20);
    expect(unproduced(rules, renderedJobs(artifacts))).toEqual([]);
  });

  it("every catalog check: its rules read only what the jobs rendered for it produce", async () => {
    const model = await modelFromYaml(
      [
        "sizes:\n  s: { abstract: { cores: 2, memory: 4GB } }",
        `labels:\n  all: { alerts: [${[...CHECKS.keys()].join(", ")}] }`,
        "servers:\n  a: { provider: ssh, labels: [all], size: s }",
        "",
      ].join("\n"),
    );
    const artifacts = prometheusRenderer.render(model).value;
    const rules = rulesIn(artifacts, "checks");
    expect(new Set(rules.map((r) => r.alert.replace(/_no_data$/, ""))).size).toBe(CHECKS.size);
    expect(unproduced(rules, renderedJobs(artifacts))).toEqual([]);
  });

  it("finds a metric no job produces, and an up{} of a job not rendered (the test can fail)", () => {
    const rules = [
      { alert: "new_check", expr: 'unheard_of_total{lab_alerts=~".*"} > 0' },
      { alert: "down", expr: 'up{job="nowhere"} == 0' },
      { alert: "fine", expr: 'probe_success == 0 or up{job="blackbox"} == 0' },
    ];
    expect(unproduced(rules, new Set(["blackbox", "node"]))).toEqual([
      "unheard_of_total (new_check)",
      'up{job="nowhere"} (down)',
    ]);
  });
});
