/**
 * What `lab show alert NAME` adds (docs/status.md): the current value on each server it applies
 * to ("currently: 42% ✓", "83% ⚠ approaching") and where the alert is rendered.
 */
import { CHECKS } from "../core/check-catalog.js";
import type { ResolvedModel } from "../core/model.js";
import { checkRulePath, alertRulePath } from "../renderers/prometheus/paths.js";
import { naemonServices } from "../renderers/naemon/naemon-services.js";
import { readingOf, type Reading } from "../reconciler/status/alert-reading.js";
import type { TreeNode } from "./printers/tree.js";
import type { AlertValues } from "./status-show.js";

/** Each member's reading; null when there are no values to read. */
export function readings(
  values: AlertValues | undefined,
  members: readonly string[],
): Map<string, Reading> | null {
  if (!values || "error" in values) return null;
  return new Map(members.map((m) => [m, readingOf(values.condition, values.values.get(m))]));
}

/** The line under the member list that says where the values come from, or why there are none. */
export function valuesLine(values: AlertValues | undefined): string[] {
  if (!values) return [];
  if ("error" in values) return [`Current values: unknown (${values.error})`];
  return [`Current values: from ${values.source} (${values.condition.expr})`];
}

export interface RenderedTo {
  prometheus: { rule: string; file: string } | null;
  naemon: { service: string; hosts: number } | null;
}

/** Where the alert lands: its Prometheus rule file, and the Naemon hosts that check it. */
export function renderedTo(
  model: ResolvedModel,
  name: string,
  members: readonly string[],
): RenderedTo {
  const user = model.alerts.find((a) => a.name === name);
  if (user)
    return { prometheus: { rule: name, file: alertRulePath(user.source.file) }, naemon: null };
  const def = CHECKS.get(name);
  const wanted = new Set(members);
  const hosts = def?.naemon
    ? model.servers.filter(
        (s) => wanted.has(s.name) && naemonServices(s).some((x) => x.check === name),
      ).length
    : 0;
  return {
    prometheus: def ? { rule: name, file: checkRulePath(name) } : null,
    naemon: hosts ? { service: name, hosts } : null,
  };
}

export function renderedLines(to: RenderedTo): string[] {
  const nodes: TreeNode[] = [];
  if (to.prometheus)
    nodes.push({ text: `Prometheus: rule "${to.prometheus.rule}" in ${to.prometheus.file}` });
  if (to.naemon) {
    const n = to.naemon.hosts;
    nodes.push({
      text: `Naemon: service check "${to.naemon.service}" on ${n} host${n === 1 ? "" : "s"}`,
    });
  }
  if (!nodes.length) return ["Rendered to: nothing"];
  return [
    "Rendered to:",
    ...nodes.map((node, i) => `  ${i === nodes.length - 1 ? "└── " : "├── "}${node.text}`),
  ];
}
