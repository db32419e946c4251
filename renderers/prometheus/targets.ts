/** file_sd target files: one per server, carrying lab's membership labels. */
import { canonicalJson } from "../../core/canonical.js";
import type { SourcePos } from "../../core/diagnostics.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { targetPath } from "./paths.js";
import { ALERTS_LABEL, commaList } from "./promql.js";

/** The node exporter's port: every server is scraped at `<address>:9100`. */
export const NODE_EXPORTER_PORT = 9100;

/** `host:port`, with an IPv6 literal in brackets. */
export function scrapeAddress(address: string, port = NODE_EXPORTER_PORT): string {
  const host = address.includes(":") && !address.startsWith("[") ? `[${address}]` : address;
  return `${host}:${port}`;
}

function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

/** The labels Prometheus attaches to every series scraped from the server. */
export function targetLabels(server: ResolvedServer): Record<string, string> {
  const labels: Record<string, string> = {
    lab_server: server.name,
    lab_provider: server.provider,
    lab_labels: commaList(sortedUnique(server.labels)),
    lab_groups: commaList(sortedUnique(server.groups)),
    [ALERTS_LABEL]: commaList(sortedUnique(server.alerts.map((a) => a.name))),
  };
  if (server.environment !== null) labels.lab_environment = server.environment;
  if (server.region !== null) labels.lab_region = server.region;
  if (server.size !== null) labels.lab_size = server.size;
  return labels;
}

/** The file_sd document of one server: a one-element list of `{targets, labels}`. */
export function targetFile(server: ResolvedServer): string {
  return canonicalJson([
    { targets: [scrapeAddress(server.address)], labels: targetLabels(server) },
  ]);
}

interface SourceIndex {
  labels: ReadonlyMap<string, SourcePos>;
  groups: ReadonlyMap<string, SourcePos>;
  alerts: ReadonlyMap<string, SourcePos>;
}

function indexSources(model: ResolvedModel): SourceIndex {
  return {
    labels: new Map(model.labels.map((l) => [l.name, l.source])),
    groups: new Map(model.groups.map((g) => [g.name, g.source])),
    alerts: new Map(model.alerts.map((a) => [a.name, a.source])),
  };
}

function targetSources(server: ResolvedServer, index: SourceIndex): SourcePos[] {
  const out: SourcePos[] = [server.source];
  const add = (pos: SourcePos | undefined): void => {
    if (pos) out.push(pos);
  };
  for (const label of server.labels) add(index.labels.get(label));
  for (const group of server.groups) add(index.groups.get(group));
  for (const alert of server.alerts) if (alert.kind === "user") add(index.alerts.get(alert.name));
  return out;
}

/** One target file per server, sorted by path. */
export function renderTargets(model: ResolvedModel): Artifact[] {
  const index = indexSources(model);
  return model.servers
    .map((s) => makeArtifact(targetPath(s.name), targetFile(s), targetSources(s, index)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
