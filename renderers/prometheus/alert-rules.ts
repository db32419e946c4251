/** Rule files for user alerts (`alerts:`): one per config file that declares them. */
import { CHECKS } from "../../core/check-catalog.js";
import { cmp, type Diagnosed, type Diagnostic } from "../../core/diagnostics.js";
import type { ResolvedModel, ResolvedUserAlert } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { alertRulePath } from "./paths.js";
import { CONDITION_OPERATORS, conditionExpr, parseCondition, rawExpr } from "./promql.js";
import { ruleFile, type AlertingRule } from "./rule-file.js";

function diagnostic(
  alert: ResolvedUserAlert,
  code: "LAB011" | "LAB221" | "LAB222",
  message: string,
  fix: string,
): Diagnostic {
  return { ...alert.source, severity: "error", code, pointer: "/alerts", message, fix };
}

/** The alert's PromQL, or the diagnostic that explains why there is none. */
export function userAlertExpr(alert: ResolvedUserAlert): { expr: string } | Diagnostic {
  const { condition, expr } = alert.spec;
  if (CHECKS.has(alert.name)) {
    return diagnostic(
      alert,
      "LAB011",
      `alert "${alert.name}" is defined twice: as a user alert and as a catalog check (both would select the servers of either through lab_alerts)`,
      "rename the user alert",
    );
  }
  if (condition !== undefined && expr !== undefined) {
    return diagnostic(
      alert,
      "LAB222",
      `alert "${alert.name}" has both condition and expr`,
      "keep one of them",
    );
  }
  if (expr !== undefined) return { expr: rawExpr(expr, alert.name) };
  if (condition === undefined) {
    return diagnostic(
      alert,
      "LAB222",
      `alert "${alert.name}" has neither condition nor expr`,
      "add `condition: metric > number` or `expr: <PromQL>`",
    );
  }
  const parsed = parseCondition(condition);
  if (!parsed) {
    return diagnostic(
      alert,
      "LAB221",
      `alert "${alert.name}": condition "${condition}" is not \`metric OP number\` (OP: ${CONDITION_OPERATORS.join(" ")})`,
      "write e.g. `mail_queue_length > 1000`, or use `expr:` for other PromQL",
    );
  }
  return { expr: conditionExpr(parsed, alert.name) };
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
export function renderAlertRules(model: ResolvedModel): Diagnosed<Artifact[]> {
  const byPath = new Map<string, ResolvedUserAlert[]>();
  for (const alert of model.alerts) {
    const path = alertRulePath(alert.source.file);
    const list = byPath.get(path) ?? [];
    list.push(alert);
    byPath.set(path, list);
  }
  const value: Artifact[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [path, alerts] of byPath) {
    const rules: AlertingRule[] = [];
    for (const alert of [...alerts].sort(byNameThenLine)) {
      const built = userAlertExpr(alert);
      if ("code" in built) diagnostics.push(built);
      else rules.push(userAlertRule(alert, built.expr));
    }
    if (rules.length === 0) continue;
    const group = `lab:alerts:${path.slice(path.lastIndexOf("/") + 1, -".yaml".length)}`;
    value.push(
      makeArtifact(
        path,
        ruleFile(group, rules),
        alerts.map((a) => a.source),
      ),
    );
  }
  return { value, diagnostics };
}
