/** `lab show group NAME`: members (and why), subgroups, exclusions, alerts targeting it. */
import type { ResolvedGroup, ResolvedModel } from "../core/model.js";
import { findByName } from "./find.js";
import type { Style } from "./printers/color.js";
import { fromJson, fromSuffix, whyPhrase } from "./printers/provenance.js";
import { renderTree } from "./printers/tree.js";
import { serverNodes, selectorText } from "./show-common.js";

export function findGroup(model: ResolvedModel, name: string): ResolvedGroup {
  return findByName("group", model.groups, name, (g) => g.name);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function groupView(model: ResolvedModel, group: ResolvedGroup) {
  const byName = new Map(model.groups.map((g) => [g.name, g]));
  const alerts = model.alerts
    .filter((a) => (a.spec.target.groups ?? []).includes(group.name))
    .map((a) => ({ name: a.name, severity: a.severity }));
  const parents = model.groups.filter((g) => g.subgroups.includes(group.name)).map((g) => g.name);
  const fromOf = new Map(group.members.map((m) => [m.name, m.from]));
  const whyOf = new Map(group.excluded.map((e) => [e.name, e.why]));
  return {
    json: {
      name: group.name,
      description: group.spec.description ?? null,
      members: group.members.map((m) => ({ name: m.name, from: m.from.map(fromJson) })),
      subgroups: group.subgroups,
      excluded: group.excluded.map((e) => ({ name: e.name, why: e.why })),
      alerts,
      partOf: parents,
    },
    text: (style: Style): string => {
      const lines = [style.bold(`Group: ${group.name}`)];
      if (group.spec.description) lines.push(`Description: ${group.spec.description}`);
      if (group.spec.match) lines.push(`Match: ${selectorText(group.spec.match)}`);
      if (group.spec.servers?.length) lines.push(`Servers: [${group.spec.servers.join(", ")}]`);
      if (group.spec.exclude) lines.push(`Exclude: ${selectorText(group.spec.exclude)}`);
      lines.push(
        `Contains: ${plural(group.subgroups.length, "subgroup")}, ${plural(group.members.length, "server")} (${group.excluded.length} excluded)`,
      );
      const sub = group.subgroups.map((name) => ({
        text: `${name} (${plural(byName.get(name)?.members.length ?? 0, "server")})`,
      }));
      const block = (title: string, nodes: { text: string }[]): string[] =>
        nodes.length ? [`${title}:`, ...renderTree(nodes, "  ")] : [`${title}: none`];
      lines.push(
        ...block("Subgroups", sub),
        ...block(
          "Members",
          serverNodes(
            model,
            group.members.map((m) => m.name),
            (n) => fromSuffix(fromOf.get(n) ?? []),
          ),
        ),
        ...block(
          "Excluded",
          serverNodes(
            model,
            group.excluded.map((e) => e.name),
            (n) => `(${whyPhrase(whyOf.get(n) ?? [], "by name")})`,
          ),
        ),
        ...block(
          "Alerts targeting this group",
          alerts.map((a) => ({ text: `${a.name} (${a.severity})` })),
        ),
        ...block(
          "Part of",
          parents.map((p) => ({ text: p })),
        ),
      );
      return lines.join("\n") + "\n";
    },
  };
}
