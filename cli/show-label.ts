/** `lab show label NAME`: where a label applies and what it provides. */
import type { ResolvedLabel, ResolvedModel } from "../core/model.js";
import { findByName } from "./find.js";
import type { Style } from "./printers/color.js";
import { renderTree } from "./printers/tree.js";
import type { ServerStatus } from "../reconciler/status/status-types.js";
import { asList, serverNodes } from "./show-common.js";
import { pillarLine, UNKNOWN_STATUS } from "./status-columns.js";

/** Secrets a label gives: those it declares, then those its classes read (`via class x`). */
function labelSecrets(
  model: ResolvedModel,
  label: ResolvedLabel,
): { path: string; via?: string }[] {
  const out: { path: string; via?: string }[] = (label.spec.secrets ?? []).map((path) => ({
    path,
  }));
  const seen = new Set(out.map((s) => s.path));
  for (const server of model.servers) {
    for (const ref of server.secrets) {
      for (const f of ref.from) {
        if (f.kind !== "label" || f.name !== label.name || !f.via) continue;
        const key = `${ref.path}\0${f.via}`;
        if (seen.has(ref.path) || seen.has(key)) continue;
        seen.add(key);
        out.push({ path: ref.path, via: f.via });
      }
    }
  }
  return out;
}

export function findLabel(model: ResolvedModel, name: string): ResolvedLabel {
  return findByName("label", model.labels, name, (l) => l.name);
}

/** `statuses`: each server's four pillars (docs/status.md); a server without one shows unknown. */
export function labelView(
  model: ResolvedModel,
  label: ResolvedLabel,
  statuses?: ReadonlyMap<string, ServerStatus>,
) {
  const statusOf = (name: string) => statuses?.get(name) ?? UNKNOWN_STATUS;
  const secrets = labelSecrets(model, label);
  const alertsTargeting = model.alerts
    .filter((a) => asList(a.spec.target.labels).includes(label.name))
    .map((a) => ({ name: a.name, severity: a.severity }));
  const groupsMatching = model.groups
    .filter((g) => asList(g.spec.match?.labels).includes(label.name))
    .map((g) => g.name);
  return {
    json: {
      name: label.name,
      description: label.spec.description ?? null,
      servers: label.servers,
      classes: label.classes,
      alerts: label.spec.alerts ?? [],
      secrets,
      ports: label.spec.ports ?? [],
      size: label.spec.size ?? null,
      alertsTargeting,
      groupsMatching,
      serverStatus: label.servers.map((name) => {
        const s = statusOf(name);
        const { state, sync, puppet, health, identity } = s;
        return {
          name,
          state,
          sync: sync.state,
          puppet: puppet.state,
          health: health.state,
          identity: identity.state,
        };
      }),
    },
    text: (style: Style): string => {
      const none = (v: readonly unknown[]): string => (v.length ? v.join(", ") : "none");
      const lines = [style.bold(`Label: ${label.name}`)];
      if (label.spec.description) lines.push(`Description: ${label.spec.description}`);
      lines.push(
        `Applied to: ${label.servers.length} server${label.servers.length === 1 ? "" : "s"}`,
      );
      if (label.servers.length) {
        lines.push("Servers:");
        const nodes = serverNodes(model, label.servers, (n) => pillarLine(statusOf(n), style));
        for (const line of renderTree(nodes, "  ")) lines.push(line);
      }
      lines.push(
        "Provides:",
        `  Puppet Classes: ${none(label.classes.map((c) => c.name))}`,
        `  Alerts: ${none(label.spec.alerts ?? [])}`,
        `  Secrets: ${none(secrets.map((s) => (s.via ? `${s.path} (via ${s.via})` : s.path)))}`,
        `  Ports: ${none(label.spec.ports ?? [])}`,
        `  Size: ${label.spec.size ?? "none"}`,
      );
      lines.push(
        alertsTargeting.length
          ? "Alerts targeting this label:"
          : "Alerts targeting this label: none",
        ...renderTree(
          alertsTargeting.map((a) => ({ text: `${a.name} (${a.severity})` })),
          "  ",
        ),
        groupsMatching.length ? "Groups matching this label:" : "Groups matching this label: none",
        ...renderTree(
          groupsMatching.map((g) => ({ text: g })),
          "  ",
        ),
      );
      return lines.join("\n") + "\n";
    },
  };
}
