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
import { fixtureModel, type AlertInput, type ServerInput } from "./promtool/fixture-model.js";
import { resolveDir } from "./promtool/resolve-dir.js";
import { runTool, writeArtifacts } from "./promtool/run-tool.js";

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

/** Every condition form, raw expressions with and without LAB_SELECTOR, every catalog check. */
function variedModel(servers: number): ReturnType<typeof fixtureModel> {
  const alerts: AlertInput[] = [
    { name: "queue", condition: "queue_length > 100", for: "5m", severity: "critical" },
    {
      name: "disk",
      condition: 'disk_used_percent{mount="/", fstype!="tmpfs"} >= 9.5e1',
      file: "alerts/disk.yml",
    },
    { name: "neg", condition: "temperature_celsius <= -10", for: "1h30m" },
    { name: "braces", condition: 'http_errors{path="/a{b}", code=~"5.."} > 1' },
    { name: "quotes", condition: 'q{a="say \\"hi\\""} > .5', for: "0" },
    { name: "rate_raw", expr: "rate(http_errors_total{LAB_SELECTOR}[5m]) > 0.5", severity: "info" },
    {
      name: "agg_raw",
      expr: "max by (lab_server) (\n  node_load1\n) > 8\n",
      file: "alerts/raw.yaml",
    },
    {
      name: "templated",
      condition: "x != 0",
      summary: "x on {{ $labels.lab_server }} is {{ $value }}",
    },
  ];
  const checks = [...CHECKS.keys()];
  const list: ServerInput[] = Array.from({ length: servers }, (_, i) => ({
    name: `host-${String(i).padStart(4, "0")}`,
    labels: [`role-${i % 7}`],
    checks: checks.filter((_, j) => (i + j) % 3 === 0),
    alerts: alerts.filter((_, j) => (i + j) % 2 === 0).map((a) => a.name),
  }));
  return fixtureModel(list, alerts);
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
    const rendered = prometheusRenderer.render(variedModel(30));
    expect(rendered.diagnostics).toEqual([]);
    const result = await checkRules(rendered.value);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.files).toBe(CHECKS.size + 3);
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
  it("does not grow with the number of servers an alert covers", () => {
    const rules = (n: number) =>
      prometheusRenderer
        .render(variedModel(n))
        .value.filter((a) => a.path.startsWith("prometheus/rules/"))
        .map((a) => [a.path, a.content]);
    expect(rules(2000)).toEqual(rules(12));
  });
});
