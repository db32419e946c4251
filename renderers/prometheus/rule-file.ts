/** The rule-file format Prometheus 2.42 reads (no group `labels`, no `query_offset`). */
import { canonicalYaml } from "../../core/canonical.js";

/** One alerting rule. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: Record<string, string>;
}

/** A rule file holding one group; keys sorted, so `alert` comes first. */
export function ruleFile(group: string, rules: readonly AlertingRule[]): string {
  return canonicalYaml({ groups: [{ name: group, rules }] });
}
