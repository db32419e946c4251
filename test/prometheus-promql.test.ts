/**
 * lab's PromQL module agrees with Prometheus: every expression `parsePromql` accepts, the real
 * `promtool check rules` accepts in a rule, and every one it refuses, promtool refuses (the
 * parser is the Prometheus project's grammar plus the checks Prometheus makes after it).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parsePromql } from "../core/promql/promql.js";
import { ruleFile } from "../renderers/prometheus/rule-file.js";
import { runTool } from "./promtool/run-tool.js";

const dir = mkdtempSync(join(tmpdir(), "lab-promql-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = [
  // as the public rule collections write them
  "sum by (instance) (rate(node_network_receive_errs_total[2m])) / sum by (instance) (rate(node_network_receive_packets_total[2m])) > 0.01",
  "histogram_quantile(0.99, sum by (le, instance) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
  'absent(up{job="node"})',
  "node_time_seconds - node_time_seconds offset 1h > 3700",
  "max_over_time(rate(node_cpu_seconds_total[1m])[10m:1m]) > 0.9",
  "sum(rate(a[5m])) / on () group_left sum(rate(b[5m])) > 0.5",
  "x and on (instance) y unless ignoring (job) z",
  'predict_linear(node_filesystem_avail_bytes{fstype!~"tmpfs"}[6h], 24 * 3600) < 0',
  "count by (job) (up == 0) > bool 1",
  'label_replace(up, "host", "$1", "instance", "([^:]+):.*") == 0',
  "topk(3, sum by (a) (x)) > 0",
  "x @ start()",
  "x offset -5m",
  "quantile(0.9, x) without (b) > 1",
  "holt_winters(x[1h], 0.5, 0.5) > 1",
  "-x > 1",
  'x{a=~"b|c", d!~"e"} > 1',
  "x{a='single'} > 1",
  "clamp_min(x, 0) > 1",
  "day_of_week() == 0",
  // refused
  "rate(x) > 1",
  "sum(x[5m])",
  "foo(x)",
  "x >",
  "1 > 2",
  "x and 1",
  "x[5m] > 1",
  "x - x[5m]",
  "rate(x)[5m]",
  "x offset 1m offset 2m",
  "1 offset 5m",
  '{a=""}',
  'x{__name__="y"}',
  "topk(x, 3)",
  "round(x, 1, 2)",
  "x / on (a) group_left (a) y",
  "x and on (a) group_left y",
  "x + bool y",
  'x{a="\\q"}',
  "x[1m5h]",
];

async function promtoolAccepts(expr: string, i: number): Promise<boolean> {
  const file = join(dir, `rule-${i}.yaml`);
  writeFileSync(
    file,
    ruleFile("g", [{ alert: "t", expr, labels: { severity: "info" }, annotations: {} }]),
  );
  const result = await runTool("promtool", ["check", "rules", file]);
  return result.code === 0;
}

describe("the PromQL module agrees with promtool", () => {
  it.each(CASES.map((expr, i) => [expr, i] as const))("%j", async (expr, i) => {
    const ours = "expr" in parsePromql(expr);
    expect(ours).toBe(await promtoolAccepts(expr, i));
  });

  it("has cases on both sides", () => {
    const accepted = CASES.filter((c) => "expr" in parsePromql(c));
    expect([accepted.length, CASES.length - accepted.length]).toEqual([20, 20]);
  });
});
