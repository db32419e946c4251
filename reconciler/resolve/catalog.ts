/** The model's indexes by item: labels, catalog checks in use, secrets and sizes. */
import { cmp } from "../../core/diagnostics.js";
import { escapeToken } from "../../core/json-pointer.js";
import type {
  LoadedRepo,
  Member,
  ResolvedAlertRef,
  ResolvedCheck,
  ResolvedLabel,
  ResolvedSecret,
  ResolvedServer,
  ResolvedSize,
} from "../../core/model.js";
import { sortedDeep, sortedLabelSpec } from "./canonical-spec.js";
import { definedEntries } from "./sections.js";
import { labelClasses } from "./label-info.js";

export interface CatalogPart {
  labels: ResolvedLabel[];
  checks: ResolvedCheck[];
  secrets: ResolvedSecret[];
  sizes: ResolvedSize[];
}

/** `checks` holds each server's catalog checks, by rank. */
export function resolveCatalog(
  repo: LoadedRepo,
  servers: readonly ResolvedServer[],
  checks: readonly (readonly ResolvedAlertRef[])[],
): CatalogPart {
  return {
    labels: resolveLabels(repo, servers),
    checks: resolveChecks(servers, checks),
    secrets: resolveSecrets(repo, servers),
    sizes: definedEntries(repo.config.sizes).map(([name, spec]) => ({
      name,
      spec: sortedDeep(spec),
      source: repo.sources.locate(`/sizes/${escapeToken(name)}`),
    })),
  };
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function resolveLabels(repo: LoadedRepo, servers: readonly ResolvedServer[]): ResolvedLabel[] {
  const carriers = new Map<string, string[]>();
  for (const s of servers) for (const label of s.labels) pushTo(carriers, label, s.name);
  return definedEntries(repo.config.labels).map(([name, spec]) => ({
    name,
    spec: sortedLabelSpec(spec),
    classes: labelClasses(spec.puppet_classes),
    servers: carriers.get(name) ?? [],
    source: repo.sources.locate(`/labels/${escapeToken(name)}`),
  }));
}

function resolveChecks(
  servers: readonly ResolvedServer[],
  checksOf: readonly (readonly ResolvedAlertRef[])[],
): ResolvedCheck[] {
  const byName = new Map<string, Member[]>();
  servers.forEach((s, rank) => {
    for (const check of checksOf[rank] ?? []) {
      const members = byName.get(check.name);
      const member = { name: s.name, from: check.from };
      if (members) members.push(member);
      else byName.set(check.name, [member]);
    }
  });
  return [...byName.keys()].sort(cmp).map((name) => ({ name, members: byName.get(name)! }));
}

/** Every secret path in metadata, on a label or read by Puppet code, with the servers entitled. */
function resolveSecrets(repo: LoadedRepo, servers: readonly ResolvedServer[]): ResolvedSecret[] {
  const entitled = new Map<string, string[]>();
  for (const s of servers) for (const ref of s.secrets) pushTo(entitled, ref.path, s.name);
  const meta = repo.config.secrets ?? {};
  const paths = new Set<string>(Object.keys(meta).filter((p) => meta[p] !== undefined));
  for (const [, spec] of definedEntries(repo.config.labels)) {
    if (Array.isArray(spec.secrets)) for (const p of spec.secrets) paths.add(p);
  }
  for (const cls of Object.values(repo.puppet.classes)) {
    for (const use of cls.secrets) paths.add(use.path);
  }
  return [...paths].sort(cmp).map((path) => {
    const spec = Object.hasOwn(meta, path) ? (meta[path] ?? null) : null;
    return {
      path,
      spec: spec && sortedDeep(spec),
      servers: entitled.get(path) ?? [],
      source: spec ? repo.sources.locate(`/secrets/${escapeToken(path)}`) : null,
    };
  });
}
