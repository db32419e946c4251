/**
 * The Prometheus renderer: alerting rules for every alert a server gets (user alerts, catalog
 * checks declared by labels or auto-generated, each check with its no-data companion), file_sd
 * targets and probe targets that carry membership as labels, the scrape jobs that read them and
 * the blackbox modules the probes use. Layout and label scheme: see paths.ts and README.md.
 */
import type { Diagnosed } from "../../core/diagnostics.js";
import type { ResolvedModel } from "../../core/model.js";
import type { Artifact, Renderer } from "../../core/renderer.js";
import { renderAlertRules } from "./alert-rules.js";
import { renderBlackboxConfig } from "./blackbox-config.js";
import { renderCheckRules } from "./check-rules.js";
import { modelProbes, renderProbes } from "./probes.js";
import { renderScrapeConfig } from "./scrape-config.js";
import { renderSelfRules } from "./self-rules.js";
import { renderTargets } from "./targets.js";

function byPath(a: Artifact, b: Artifact): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Pure: the same model gives the same bytes. Artifacts sorted by path. The model is validated,
 * so there is nothing to report: user-input rules live in validate.
 */
export function renderPrometheus(model: ResolvedModel): Diagnosed<Artifact[]> {
  const probes = modelProbes(model);
  const value = [
    ...renderCheckRules(model),
    ...renderAlertRules(model),
    ...renderSelfRules(model),
    ...renderTargets(model),
    ...renderProbes(model, probes),
    renderScrapeConfig(model),
    ...renderBlackboxConfig(model, probes),
  ].sort(byPath);
  return { value, diagnostics: [] };
}

export const prometheusRenderer: Renderer = {
  name: "prometheus",
  render: renderPrometheus,
};
