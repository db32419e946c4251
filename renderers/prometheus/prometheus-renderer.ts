/**
 * The Prometheus renderer: alerting rules for every alert a server gets (user alerts, catalog
 * checks declared by labels or auto-generated) and file_sd targets that carry membership as
 * labels. Layout and label scheme: see paths.ts and README.md.
 */
import { compareDiagnostics, type Diagnosed } from "../../core/diagnostics.js";
import type { ResolvedModel } from "../../core/model.js";
import type { Artifact, Renderer } from "../../core/renderer.js";
import { renderAlertRules } from "./alert-rules.js";
import { renderCheckRules } from "./check-rules.js";
import { renderTargets } from "./targets.js";

function byPath(a: Artifact, b: Artifact): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Pure: the same model gives the same bytes. Artifacts sorted by path. */
export function renderPrometheus(model: ResolvedModel): Diagnosed<Artifact[]> {
  const checks = renderCheckRules(model);
  const alerts = renderAlertRules(model);
  return {
    value: [...checks.value, ...alerts.value, ...renderTargets(model)].sort(byPath),
    diagnostics: [...checks.diagnostics, ...alerts.diagnostics].sort(compareDiagnostics),
  };
}

export const prometheusRenderer: Renderer = {
  name: "prometheus",
  render: renderPrometheus,
};
