import { describe, expect, it } from "vitest";
import { modelFromYaml } from "../../test/yaml-model.js";
import { renderPrometheus } from "./prometheus-renderer.js";
import { SELF_RULES_PATH } from "./paths.js";

const SERVERS = "servers:\n  web-1: { provider: ssh }\n";

/** Path and bytes of each artifact. */
async function rendered(prometheus: string | null): Promise<{ path: string; content: string }[]> {
  const lab = prometheus === null ? "" : `lab:\n  prometheus: ${prometheus}\n`;
  const artifacts = renderPrometheus(await modelFromYaml(lab + SERVERS)).value;
  return artifacts.map(({ path, content }) => ({ path, content }));
}

describe("the rules about lab itself", () => {
  it("are not rendered unless asked, and asking adds only their file", async () => {
    const off = await rendered(null);
    expect(off.some((a) => a.path.startsWith("prometheus/rules/lab/"))).toBe(false);
    expect(await rendered("{ self_alerts: false }")).toEqual(off);
    const on = await rendered("{ self_alerts: true }");
    expect(on.map((a) => a.path)).toEqual([...off.map((a) => a.path), SELF_RULES_PATH].sort());
    expect(on.filter((a) => a.path !== SELF_RULES_PATH)).toEqual(off);
  });

  it("alert on failing applies and on an output behind for longer than the threshold", async () => {
    const file = (await rendered("{ self_alerts: true, self_alerts_behind: 1h30m }")).find(
      (a) => a.path === SELF_RULES_PATH,
    );
    expect(file?.content).toBe(
      [
        "groups:",
        "  - name: lab:self",
        "    rules:",
        "      - alert: LabApplyFailing",
        "        annotations:",
        "          description: 'lab serve counts every failed apply in lab_errors_total{kind=\"apply\"}; its log and /healthz say which target and why.'",
        "          summary: lab failed to apply in the last 15m",
        '        expr: \'increase(lab_errors_total{job="lab", kind="apply"}[15m]) > 0 or (lab_errors_total{job="lab", kind="apply"} unless lab_errors_total{job="lab", kind="apply"} offset 15m)\'',
        "        labels:",
        "          severity: critical",
        "      - alert: LabServerBehind",
        "        annotations:",
        "          description: 'The servers this output serves run what an older revision rendered; lab_last_apply_success_timestamp_seconds is the last clean apply.'",
        "          summary: 'lab has not applied {{ $labels.target }} cleanly for more than 1h30m'",
        "        expr: 'time() - lab_last_apply_success_timestamp_seconds{job=\"lab\"} > 5400'",
        "        labels:",
        "          severity: warning",
        "",
      ].join("\n"),
    );
    const defaults = (await rendered("{ self_alerts: true }")).find(
      (a) => a.path === SELF_RULES_PATH,
    );
    expect(defaults?.content).toContain(
      'lab_last_apply_success_timestamp_seconds{job="lab"} > 1800',
    );
    expect(defaults?.content).toContain("cleanly for more than 30m");
  });
});
