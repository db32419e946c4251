/**
 * The rules about lab itself (lab.prometheus.self_alerts) under the real promtool: they pass
 * `promtool check rules`, and `promtool test rules` shows LabApplyFailing firing on the first
 * failed apply (a counter series that appears) and on later ones, quiet in between, and
 * LabServerBehind firing for the output whose last clean apply is older than the threshold only.
 * The same test against rules rendered with another threshold fails.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SELF_RULES_PATH } from "../renderers/prometheus/paths.js";
import { renderPrometheus } from "../renderers/prometheus/prometheus-renderer.js";
import { runTool, writeArtifacts } from "./promtool/run-tool.js";
import { modelFromYaml } from "./yaml-model.js";

const LAB = { instance: "127.0.0.1:9274", job: "lab" };
const SERIES = `instance="${LAB.instance}", job="lab"`;

function failing(at: string): string {
  return `      - eval_time: ${at}
        alertname: LabApplyFailing
        exp_alerts:
          - exp_labels: { instance: "${LAB.instance}", job: lab, kind: apply, severity: critical }
            exp_annotations:
              summary: lab failed to apply in the last 15m
              description: 'lab serve counts every failed apply in lab_errors_total{kind="apply"}; its log and /healthz say which target and why.'
`;
}

/** The unit tests: minute by minute, what fires and what does not. */
const TESTS = `rule_files:
  - ${SELF_RULES_PATH}

evaluation_interval: 1m

tests:
  - interval: 1m
    input_series:
      # No failure for 4 minutes, the first at 4m (the series appears), the next at 35m.
      - series: 'lab_errors_total{${SERIES}, kind="apply"}'
        values: "_x4 1x30 2x10"
      - series: 'lab_errors_total{${SERIES}, kind="fetch"}'
        values: "0+1x45"
    alert_rule_test:
      - eval_time: 2m
        alertname: LabApplyFailing
${failing("5m")}      - eval_time: 25m
        alertname: LabApplyFailing
${failing("36m")}${failing("45m")}
  - interval: 1m
    input_series:
      # prometheus: applied cleanly every minute until 10m, then never again; naemon: every minute.
      - series: 'lab_last_apply_success_timestamp_seconds{${SERIES}, target="prometheus"}'
        values: "0+60x10 600x60"
      - series: 'lab_last_apply_success_timestamp_seconds{${SERIES}, target="naemon"}'
        values: "0+60x70"
    alert_rule_test:
      - eval_time: 39m
        alertname: LabServerBehind
      - eval_time: 41m
        alertname: LabServerBehind
        exp_alerts:
          - exp_labels: { instance: "${LAB.instance}", job: lab, target: prometheus, severity: warning }
            exp_annotations:
              summary: lab has not applied prometheus cleanly for more than 30m
              description: The servers this output serves run what an older revision rendered; lab_last_apply_success_timestamp_seconds is the last clean apply.
`;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The rendered tree of a one-server repo with these lab.prometheus settings, and the tests. */
async function renderedWith(prometheus: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "lab-self-alerts-"));
  dirs.push(dir);
  const model = await modelFromYaml(
    `lab:\n  prometheus: ${prometheus}\nservers:\n  web-1: { provider: ssh }\n`,
  );
  await writeArtifacts(dir, renderPrometheus(model).value);
  await writeFile(join(dir, "self-alerts.test.yaml"), TESTS);
  return dir;
}

let dir = "";
beforeAll(async () => {
  dir = await renderedWith("{ self_alerts: true }");
});

describe("promtool on the rules about lab itself", () => {
  it("accepts the rendered file", async () => {
    const result = await runTool("promtool", ["check", "rules", join(dir, SELF_RULES_PATH)]);
    expect(result.stdout).toContain("SUCCESS: 2 rules found");
    expect(result.code).toBe(0);
  });

  it("fires LabApplyFailing on failed applies and LabServerBehind for the output behind", async () => {
    const result = await runTool("promtool", ["test", "rules", "self-alerts.test.yaml"], {
      cwd: dir,
    });
    expect(result.stdout + result.stderr).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("fails against rules rendered with another threshold (the test can fail)", async () => {
    const other = await renderedWith("{ self_alerts: true, self_alerts_behind: 1h }");
    const result = await runTool("promtool", ["test", "rules", "self-alerts.test.yaml"], {
      cwd: other,
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("alertname: LabServerBehind");
  });
});
