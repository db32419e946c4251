/** file_sd target files: one per server, carrying lab's membership labels. */
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

function sortedUnique(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}

/**
 * The alert names, one each. The model lists a server's alerts sorted by name (a name can come
 * twice, as a check and as a user alert), so duplicates are adjacent; this runs for every alert
 * of every server, so it does not sort again.
 */
function alertNames(server: ResolvedServer): string[] {
  const out: string[] = [];
  let prev: string | null = null;
  for (const { name } of server.alerts) {
    if (name !== prev) out.push(name);
    prev = name;
  }
  return out;
}

/** The labels Prometheus attaches to every series scraped from the server. */
export function targetLabels(server: ResolvedServer): Record<string, string> {
  const labels: Record<string, string> = {
    lab_server: server.name,
    lab_provider: server.provider,
    lab_labels: commaList(sortedUnique(server.labels)),
    lab_groups: commaList(sortedUnique(server.groups)),
    [ALERTS_LABEL]: commaList(alertNames(server)),
  };
  if (server.environment !== null) labels.lab_environment = server.environment;
  if (server.region !== null) labels.lab_region = server.region;
  if (server.size !== null) labels.lab_size = server.size;
  return labels;
}

/**
 * The file_sd document of one server: a one-element list of `{targets, labels}`. Written with
 * keys in sorted order, byte for byte what `canonicalJson` gives, without its generic key sort.
 */
export function targetFile(server: ResolvedServer): string {
  const labels = targetLabels(server);
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) sorted[key] = labels[key]!;
  return (
    JSON.stringify([{ labels: sorted, targets: [scrapeAddress(server.address)] }], null, 2) + "\n"
  );
}

interface SourceIndex {
  labels: ReadonlyMap<string, SourcePos>;
  groups: ReadonlyMap<string, SourcePos>;
}

/**
 * The server, its labels and its groups. User alerts that select the server are cited by
 * their own rule file, not here: a target can be selected by hundreds of them.
 */
function targetSources(server: ResolvedServer, index: SourceIndex): SourcePos[] {
  const out: SourcePos[] = [server.source];
  for (const label of server.labels) {
    const pos = index.labels.get(label);
    if (pos) out.push(pos);
  }
  for (const group of server.groups) {
    const pos = index.groups.get(group);
    if (pos) out.push(pos);
  }
  return out;
}

function indexSources(model: ResolvedModel): SourceIndex {
  return {
    labels: new Map(model.labels.map((l) => [l.name, l.source])),
    groups: new Map(model.groups.map((g) => [g.name, g.source])),
  };
}

/** One target file per server, sorted by path. */
export function renderTargets(model: ResolvedModel): Artifact[] {
  const index = indexSources(model);
  return model.servers
    .map((s) => makeArtifact(targetPath(s.name), targetFile(s), targetSources(s, index)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
