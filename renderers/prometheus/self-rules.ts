/**
 * Rules about lab itself, rendered only when `lab.prometheus.self_alerts` is true: they read
 * lab's own /metrics (adapters/http/metrics.ts, scraped by the `lab` job) and alert when lab
 * fails to do its job. One file, one group:
 *
 * - LabApplyFailing (critical): an apply failed in the last 15 minutes
 *   (`lab_errors_total{kind="apply"}` grew, or appeared: a counter's first failure is a new series).
 * - LabServerBehind (warning): an output (`target`) has had no clean apply for longer than
 *   `self_alerts_behind` (default 30m), so every server it serves is behind the repo.
 */
import { durationMs } from "../../core/duration.js";
import type { ResolvedModel } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { SELF_RULES_PATH } from "./paths.js";
import { ruleFile, type AlertingRule } from "./rule-file.js";

export const DEFAULT_SELF_ALERTS_BEHIND = "30m";

/** How far back an apply failure keeps LabApplyFailing firing. */
const FAILING_WINDOW = "15m";

export function selfRules(behind: string): AlertingRule[] {
  const errors = 'lab_errors_total{job="lab", kind="apply"}';
  const seconds = Math.round(
    (durationMs(behind) ?? durationMs(DEFAULT_SELF_ALERTS_BEHIND)!) / 1000,
  );
  return [
    {
      alert: "LabApplyFailing",
      expr: `increase(${errors}[${FAILING_WINDOW}]) > 0 or (${errors} unless ${errors} offset ${FAILING_WINDOW})`,
      labels: { severity: "critical" },
      annotations: {
        summary: `lab failed to apply in the last ${FAILING_WINDOW}`,
        description:
          'lab serve counts every failed apply in lab_errors_total{kind="apply"}; its log and /healthz say which target and why.',
      },
    },
    {
      alert: "LabServerBehind",
      expr: `time() - lab_last_apply_success_timestamp_seconds{job="lab"} > ${seconds}`,
      labels: { severity: "warning" },
      annotations: {
        summary: `lab has not applied {{ $labels.target }} cleanly for more than ${behind}`,
        description:
          "The servers this output serves run what an older revision rendered; lab_last_apply_success_timestamp_seconds is the last clean apply.",
      },
    },
  ];
}

export function renderSelfRules(model: ResolvedModel): Artifact[] {
  const own = model.settings.prometheus;
  if (own?.self_alerts !== true) return [];
  const behind = own.self_alerts_behind ?? DEFAULT_SELF_ALERTS_BEHIND;
  return [makeArtifact(SELF_RULES_PATH, ruleFile("lab:self", selfRules(behind)), [])];
}
