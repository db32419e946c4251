/**
 * Selector evaluation (DESIGN.md §2), the one implementation behind groups, alert targets, the
 * CLI's selector flags and `explain`: (servers matching the criteria) ∪ members of the listed
 * groups ∪ the listed servers, minus `exclude`, applied last.
 */
import type {
  ExcludedMember,
  ExcludeReason,
  Exclude,
  From,
  FromKind,
  Member,
  Selector,
  Target,
} from "../../core/model.js";
import { addFrom } from "./from-list.js";
import {
  CRITERIA_KEYS,
  valuesOf,
  type CriterionKey,
  type ServerFacts,
  type Universe,
} from "./universe.js";

export interface Selection {
  /** Final members, sorted by name; `ranks` holds their ranks in the same order. */
  members: Member[];
  ranks: number[];
  /** Selected before exclude, then removed by it; sorted by name. */
  excluded: ExcludedMember[];
  excludedRanks: number[];
}

/** A name or a list of names as a list; anything else (unvalidated input) as nothing. */
export function listOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** The criterion keys a target sets, in canonical order, with their values as lists. */
export function criteriaOf(target: Target | undefined): [CriterionKey, string[]][] {
  const out: [CriterionKey, string[]][] = [];
  if (!target || typeof target !== "object") return out;
  for (const key of CRITERIA_KEYS) {
    if (target[key] !== undefined) out.push([key, listOf(target[key])]);
  }
  return out;
}

export function fromKindOf(key: CriterionKey): FromKind {
  return key === "labels" ? "label" : key;
}

/** The value through which a server meets a criterion (the first listed label it carries …). */
export function criterionMatch(
  facts: ServerFacts,
  key: CriterionKey,
  values: readonly string[],
): string | undefined {
  if (key === "labels") return values.find((v) => facts.labels.includes(v));
  const own = facts[key];
  return own !== null && values.includes(own) ? own : undefined;
}

export function evaluateSelector(universe: Universe, selector: Selector): Selection {
  const picked = new Map<number, From[]>();
  addCriteria(universe, selector, picked);
  for (const group of uniqueNames(selector.groups)) {
    const members = universe.groupMembers(group);
    if (!members) continue;
    const from: From = { kind: "group", name: group };
    for (const rank of members) addPicked(picked, rank, from);
  }
  for (const server of uniqueNames(selector.servers)) {
    const rank = universe.rankOf.get(server);
    if (rank !== undefined) addPicked(picked, rank, { kind: "server", name: server });
  }
  return applyExclude(universe, selector.exclude, picked);
}

function uniqueNames(value: unknown): string[] {
  return [...new Set(listOf(value))];
}

function addPicked(picked: Map<number, From[]>, rank: number, from: From): void {
  const list = picked.get(rank);
  if (list) addFrom(list, from);
  else picked.set(rank, [from]);
}

/** Servers meeting every criterion key; empty criteria match nothing. */
function addCriteria(universe: Universe, target: Target, picked: Map<number, From[]>): void {
  const criteria = criteriaOf(target);
  if (criteria.length === 0) return;
  let smallest = 0;
  let smallestSize = Infinity;
  criteria.forEach(([key, values], i) => {
    let size = 0;
    for (const v of values) size += universe.index[key].get(v)?.length ?? 0;
    if (size < smallestSize) [smallest, smallestSize] = [i, size];
  });
  if (smallestSize === 0) return;
  const [seedKey, seedValues] = criteria[smallest]!;
  const seen = new Set<number>();
  const cache = new Map<string, From>();
  for (const value of seedValues) {
    for (const rank of universe.index[seedKey].get(value) ?? []) {
      if (seen.has(rank)) continue;
      seen.add(rank);
      const froms = matchAll(universe.servers[rank]!, criteria, cache);
      if (froms) for (const from of froms) addPicked(picked, rank, from);
    }
  }
}

function matchAll(
  facts: ServerFacts,
  criteria: readonly [CriterionKey, string[]][],
  cache: Map<string, From>,
): From[] | undefined {
  const froms: From[] = [];
  for (const [key, values] of criteria) {
    const value = criterionMatch(facts, key, values);
    if (value === undefined) return undefined;
    const id = `${key}\0${value}`;
    let from = cache.get(id);
    if (!from) cache.set(id, (from = { kind: fromKindOf(key), name: value }));
    froms.push(from);
  }
  return froms;
}

/** An exclude made ready for per-server checks (groups resolved to their members). */
export interface PreparedExclude {
  servers: ReadonlySet<string>;
  criteria: [CriterionKey, string[]][];
  groups: [string, ReadonlySet<number>][];
}

export function prepareExclude(universe: Universe, exclude: Exclude | undefined): PreparedExclude {
  const groups: [string, ReadonlySet<number>][] = [];
  for (const name of uniqueNames(exclude?.groups)) {
    const members = universe.groupMembers(name);
    if (members) groups.push([name, members]);
  }
  return {
    servers: new Set(listOf(exclude?.servers)),
    criteria: criteriaOf(exclude).map(([k, v]) => [k, [...new Set(v)]]),
    groups,
  };
}

/** Every exclude key and value that matches the server, in key order. */
export function exclusionReasons(
  facts: ServerFacts,
  rank: number,
  exclude: PreparedExclude,
): ExcludeReason[] {
  const why: ExcludeReason[] = [];
  if (exclude.servers.has(facts.name)) why.push({ by: "servers", value: facts.name });
  for (const [key, values] of exclude.criteria) {
    const own = valuesOf(facts, key);
    for (const value of values) if (own.includes(value)) why.push({ by: key, value });
  }
  for (const [name, members] of exclude.groups) {
    if (members.has(rank)) why.push({ by: "groups", value: name });
  }
  return why;
}

function applyExclude(
  universe: Universe,
  exclude: Exclude | undefined,
  picked: Map<number, From[]>,
): Selection {
  const selection: Selection = { members: [], ranks: [], excluded: [], excludedRanks: [] };
  const ranks = [...picked.keys()].sort((a, b) => a - b);
  const prepared = exclude ? prepareExclude(universe, exclude) : undefined;
  for (const rank of ranks) {
    const facts = universe.servers[rank]!;
    const why = prepared ? exclusionReasons(facts, rank, prepared) : [];
    if (why.length > 0) {
      selection.excluded.push({ name: facts.name, why });
      selection.excludedRanks.push(rank);
    } else {
      selection.members.push({ name: facts.name, from: picked.get(rank)! });
      selection.ranks.push(rank);
    }
  }
  return selection;
}
