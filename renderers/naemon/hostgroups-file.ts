/**
 * Hostgroups for labels (`label-<name>`), groups (`group-<name>`) and environments
 * (`env-<name>`). Only names and descriptions are written here; membership lives on each host
 * (`hostgroups`), so a server joining or leaving a group rewrites that server's file only.
 */
import { cmp, type SourcePos } from "../../core/diagnostics.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { defineObject, objectFile } from "./define-object.js";

export function labelHostgroup(name: string): string {
  return `label-${name}`;
}

export function groupHostgroup(name: string): string {
  return `group-${name}`;
}

export function environmentHostgroup(name: string): string {
  return `env-${name}`;
}

/** The hostgroups a server belongs to, sorted (names are ASCII: code-unit order is stable). */
export function serverHostgroups(server: ResolvedServer): string[] {
  const names = new Set<string>();
  if (server.environment !== null) names.add(environmentHostgroup(server.environment));
  for (const group of server.groups) names.add(groupHostgroup(group));
  for (const label of server.labels) names.add(labelHostgroup(label));
  return [...names].sort();
}

interface Hostgroup {
  name: string;
  alias: string;
}

/**
 * Every defined label and group, every environment the settings map or a server uses, and any
 * label or group a server names without a definition (so no host points at a missing group).
 */
function hostgroups(model: ResolvedModel): Hostgroup[] {
  const byName = new Map<string, Hostgroup>();
  const put = (name: string, alias: string): void => {
    if (!byName.has(name)) byName.set(name, { name, alias });
  };
  for (const label of model.labels) {
    put(labelHostgroup(label.name), label.spec.description ?? `label ${label.name}`);
  }
  for (const group of model.groups) {
    put(groupHostgroup(group.name), group.spec.description ?? `group ${group.name}`);
  }
  const environments = new Set(Object.keys(model.settings.environments));
  const labels = new Set<string>();
  const groups = new Set<string>();
  for (const server of model.servers) {
    if (server.environment !== null) environments.add(server.environment);
    for (const label of server.labels) labels.add(label);
    for (const group of server.groups) groups.add(group);
  }
  for (const label of labels) put(labelHostgroup(label), `label ${label}`);
  for (const group of groups) put(groupHostgroup(group), `group ${group}`);
  for (const env of environments) put(environmentHostgroup(env), `environment ${env}`);
  return [...byName.values()].sort((a, b) => cmp(a.name, b.name));
}

export function renderHostgroups(model: ResolvedModel): { content: string; sources: SourcePos[] } {
  const objects = hostgroups(model).map((group) =>
    defineObject("hostgroup", [
      ["hostgroup_name", group.name],
      ["alias", group.alias],
    ]),
  );
  return {
    content: objectFile("Hostgroups for labels, groups and environments.", objects),
    sources: [...model.labels.map((l) => l.source), ...model.groups.map((g) => g.source)],
  };
}
