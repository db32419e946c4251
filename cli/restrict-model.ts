/** A resolved model cut down to some servers: what `lab render` with selector flags renders. */
import type { ResolvedModel } from "../core/model.js";

/**
 * The model with only the servers in `keep`: every member list, label's and secret's server
 * list is filtered the same way; labels, groups, alerts, checks, sizes and secrets stay.
 */
export function restrictModel(model: ResolvedModel, keep: ReadonlySet<string>): ResolvedModel {
  const has = (x: { name: string }) => keep.has(x.name);
  return {
    settings: model.settings,
    servers: model.servers.filter(has),
    labels: model.labels.map((l) => ({ ...l, servers: l.servers.filter((s) => keep.has(s)) })),
    groups: model.groups.map((g) => ({
      ...g,
      members: g.members.filter(has),
      excluded: g.excluded.filter(has),
    })),
    alerts: model.alerts.map((a) => ({
      ...a,
      members: a.members.filter(has),
      excluded: a.excluded.filter(has),
    })),
    checks: model.checks
      .map((c) => ({ ...c, members: c.members.filter(has) }))
      .filter((c) => c.members.length > 0),
    sizes: model.sizes,
    secrets: model.secrets.map((s) => ({ ...s, servers: s.servers.filter((n) => keep.has(n)) })),
  };
}
