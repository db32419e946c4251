/**
 * The facts selectors are evaluated against: servers sorted by name (a server's rank is its
 * index), value → servers indexes per criterion, and the final members of each group. Built from
 * the config during resolve, and from a ResolvedModel for `select` and `explain`.
 */
import { cmp } from "../../core/diagnostics.js";
import type { ResolvedModel } from "../../core/model.js";

export const CRITERIA_KEYS = ["labels", "environment", "region", "provider", "size"] as const;
export type CriterionKey = (typeof CRITERIA_KEYS)[number];

export interface ServerFacts {
  name: string;
  /** De-duplicated, in declaration order. */
  labels: readonly string[];
  environment: string | null;
  region: string | null;
  provider: string;
  /** The effective size: its own, else the first of its labels' sizes. */
  size: string | null;
}

export interface Universe {
  /** Sorted by name; a server's rank is its index here. */
  servers: readonly ServerFacts[];
  rankOf: ReadonlyMap<string, number>;
  /** criterion → value → ranks carrying it, ascending. */
  index: Readonly<Record<CriterionKey, ReadonlyMap<string, readonly number[]>>>;
  /** The final members (ranks, ascending) of a group; undefined for unknown or cyclic ones. */
  groupMembers(name: string): ReadonlySet<number> | undefined;
}

/** The values a server has for a criterion (its labels, or its one environment …). */
export function valuesOf(facts: ServerFacts, key: CriterionKey): readonly string[] {
  if (key === "labels") return facts.labels;
  const v = facts[key];
  return v === null ? [] : [v];
}

export function buildIndex(servers: readonly ServerFacts[]): Universe["index"] {
  const index = {} as Record<CriterionKey, Map<string, number[]>>;
  for (const key of CRITERIA_KEYS) index[key] = new Map();
  servers.forEach((facts, rank) => {
    for (const key of CRITERIA_KEYS) {
      for (const value of valuesOf(facts, key)) {
        const list = index[key].get(value);
        if (list) list.push(rank);
        else index[key].set(value, [rank]);
      }
    }
  });
  return index;
}

export function rankIndex(servers: readonly ServerFacts[]): Map<string, number> {
  const rankOf = new Map<string, number>();
  servers.forEach((s, rank) => rankOf.set(s.name, rank));
  return rankOf;
}

export function uniqueStrings(values: readonly unknown[] | undefined): string[] {
  if (!Array.isArray(values)) return [];
  const seen = new Set<string>();
  for (const v of values) if (typeof v === "string") seen.add(v);
  return [...seen];
}

const fromModel = new WeakMap<ResolvedModel, Universe>();

/** The universe of a resolved model (cached per model object). */
export function universeFromModel(model: ResolvedModel): Universe {
  const cached = fromModel.get(model);
  if (cached) return cached;
  const servers: ServerFacts[] = model.servers
    .map((s) => ({
      name: s.name,
      labels: uniqueStrings(s.labels),
      environment: s.environment,
      region: s.region,
      provider: s.provider,
      size: s.size,
    }))
    .sort((a, b) => cmp(a.name, b.name));
  const rankOf = rankIndex(servers);
  const groups = new Map<string, Set<number>>();
  for (const g of model.groups) {
    const ranks: number[] = [];
    for (const m of g.members) {
      const r = rankOf.get(m.name);
      if (r !== undefined) ranks.push(r);
    }
    groups.set(g.name, new Set(ranks.sort((a, b) => a - b)));
  }
  const universe: Universe = {
    servers,
    rankOf,
    index: buildIndex(servers),
    groupMembers: (name) => groups.get(name),
  };
  fromModel.set(model, universe);
  return universe;
}
