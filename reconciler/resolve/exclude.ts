/** `exclude`, applied last: which selected servers it takes out, and why. */
import type { Exclude, ExcludeReason } from "../../core/model.js";
import { criteriaOf, listOf, uniqueNames } from "./criteria.js";
import { valuesOf, type CriterionKey, type ServerFacts, type Universe } from "./universe.js";

/** The final members of the named groups that exist (resolving them if needed). */
export function groupSets(universe: Universe, names: unknown): [string, ReadonlySet<number>][] {
  const out: [string, ReadonlySet<number>][] = [];
  for (const name of uniqueNames(names)) {
    const members = universe.groupMembers(name);
    if (members) out.push([name, members]);
  }
  return out;
}

/** An exclude made ready for per-server checks (groups resolved to their members). */
export interface PreparedExclude {
  servers: ReadonlySet<string>;
  criteria: [CriterionKey, ReadonlySet<string>][];
  groups: [string, ReadonlySet<number>][];
  empty: boolean;
}

export function prepareExclude(universe: Universe, exclude: Exclude | undefined): PreparedExclude {
  const servers = new Set(listOf(exclude?.servers));
  const criteria = criteriaOf(exclude).map(([k, v]): [CriterionKey, Set<string>] => [
    k,
    new Set(v),
  ]);
  const groups = groupSets(universe, exclude?.groups);
  const empty = servers.size === 0 && criteria.length === 0 && groups.length === 0;
  return { servers, criteria, groups, empty };
}

export function isExcluded(facts: ServerFacts, rank: number, exclude: PreparedExclude): boolean {
  if (exclude.servers.has(facts.name)) return true;
  for (const [key, set] of exclude.criteria) {
    if (key === "labels") {
      if (facts.labels.some((l) => set.has(l))) return true;
    } else {
      const own = facts[key];
      if (own !== null && set.has(own)) return true;
    }
  }
  return exclude.groups.some(([, members]) => members.has(rank));
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
