/** Rule files for user alerts (`alerts:`): one per config file that declares them. */
import { cmp } from "../../core/diagnostics.js";
import type { ResolvedModel, ResolvedUserAlert } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { alertRulePath } from "./paths.js";
import { memberExpr, parsedOrThrow } from "./promql.js";
import { ruleFile, type AlertingRule } from "./rule-file.js";

/**
 * The alert's PromQL restricted to its servers: the membership matcher in every vector
 * selector of its `condition` (a PromQL subset) or `expr`. validate has checked both.
 */
export function userAlertExpr(alert: ResolvedUserAlert): string {
  const text = alert.spec.expr ?? alert.spec.condition ?? "";
  return memberExpr(parsedOrThrow(text, `alert ${alert.name}`), alert.name);
}

/** The alerting rule of a user alert (with its PromQL already built). */
export function userAlertRule(alert: ResolvedUserAlert, expr: string): AlertingRule {
  const { spec, source } = alert;
  const annotations: Record<string, string> = {
    summary: spec.summary ?? spec.condition ?? alert.name,
    source: `${source.file}:${source.line}`,
  };
  if (spec.description !== undefined) annotations.description = spec.description;
  return {
    alert: alert.name,
    expr,
    ...(spec.for !== undefined ? { for: spec.for } : {}),
    labels: { severity: alert.severity },
    annotations,
  };
}

function byNameThenLine(a: ResolvedUserAlert, b: ResolvedUserAlert): number {
  return cmp(a.name, b.name) || a.source.line - b.source.line || a.source.col - b.source.col;
}

/** User alerts grouped by the file that declares them; rules sorted by name within a file. */
export function renderAlertRules(model: ResolvedModel): Artifact[] {
  const byPath = new Map<string, ResolvedUserAlert[]>();
  for (const alert of model.alerts) {
    const path = alertRulePath(alert.source.file);
    const list = byPath.get(path) ?? [];
    list.push(alert);
    byPath.set(path, list);
  }
  const value: Artifact[] = [];
  for (const [path, alerts] of byPath) {
    const rules = [...alerts]
      .sort(byNameThenLine)
      .map((alert) => userAlertRule(alert, userAlertExpr(alert)));
    const group = `lab:alerts:${path.slice(path.lastIndexOf("/") + 1, -".yaml".length)}`;
    value.push(
      makeArtifact(
        path,
        ruleFile(group, rules),
        alerts.map((a) => a.source),
      ),
    );
  }
  return value;
}
