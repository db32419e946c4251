/**
 * Selector evaluation (docs/targeting.md), the one implementation behind groups, alert targets, the
 * CLI's selector flags and `explain`: (servers matching the criteria) ∪ members of the listed
 * groups ∪ the listed servers, minus `exclude`, applied last.
 */
import type { ExcludedMember, From, Member, Selector, Target } from "../../core/model.js";
import { criteriaOf, criterionMatch, fromKindOf, uniqueNames } from "./criteria.js";
import {
  exclusionReasons,
  groupSets,
  isExcluded,
  prepareExclude,
  type PreparedExclude,
} from "./exclude.js";
import { sameFrom } from "./from-list.js";
import type { CriterionKey, ServerFacts, Universe } from "./universe.js";

export interface Selection {
  /** Final members, sorted by name; `ranks` holds their ranks in the same order. */
  members: Member[];
  ranks: number[];
  /** Selected before exclude, then removed by it; sorted by name. */
  excluded: ExcludedMember[];
  excludedRanks: number[];
}

export function evaluateSelector(universe: Universe, selector: Selector): Selection {
  // Groups first: resolving one may evaluate other selectors, which use the scratch space too.
  const groups = groupSets(universe, selector.groups);
  const exclude = prepareExclude(universe, selector.exclude);
  const picked = takePicked(universe);
  try {
    addCriteria(universe, selector, picked);
    for (const [group, members] of groups) {
      const only: [From] = [{ kind: "group", name: group }];
      for (const rank of members) addPicked(picked, rank, only);
    }
    for (const server of uniqueNames(selector.servers)) {
      const rank = universe.rankOf.get(server);
      if (rank !== undefined) addPicked(picked, rank, [{ kind: "server", name: server }]);
    }
    return applyExclude(universe, exclude, picked);
  } finally {
    releasePicked(picked);
  }
}

/** The servers picked so far: provenance by rank (scratch sized to the universe, reused). */
interface Picked {
  froms: (From[] | undefined)[];
  touched: number[];
  ascending: boolean;
  busy: boolean;
}

const scratch = new WeakMap<Universe, Picked>();

function takePicked(universe: Universe): Picked {
  let picked = scratch.get(universe);
  if (!picked || picked.busy) {
    picked = {
      froms: new Array<From[] | undefined>(universe.servers.length),
      touched: [],
      ascending: true,
      busy: false,
    };
    if (!scratch.has(universe)) scratch.set(universe, picked);
  }
  picked.busy = true;
  return picked;
}

function releasePicked(picked: Picked): void {
  for (const rank of picked.touched) picked.froms[rank] = undefined;
  picked.touched = [];
  picked.ascending = true;
  picked.busy = false;
}

function setPicked(picked: Picked, rank: number, froms: From[]): void {
  if (picked.froms[rank] === undefined) {
    const last = picked.touched[picked.touched.length - 1];
    if (last !== undefined && last > rank) picked.ascending = false;
    picked.touched.push(rank);
  }
  picked.froms[rank] = froms;
}

/**
 * Provenance arrays are shared by the members picked the same way, so they are never changed
 * in place: adding to a server already picked copies its list.
 */
function addPicked(picked: Picked, rank: number, only: [From]): void {
  const existing = picked.froms[rank];
  if (!existing) setPicked(picked, rank, only);
  else if (!existing.some((f) => sameFrom(f, only[0]))) {
    picked.froms[rank] = [...existing, only[0]];
  }
}

interface CriterionTest {
  key: CriterionKey;
  values: readonly string[];
  set: ReadonlySet<string>;
  /** One shared provenance object per matching value. */
  froms: Map<string, From>;
}

function passes(facts: ServerFacts, test: CriterionTest): boolean {
  if (test.key === "labels") return facts.labels.some((l) => test.set.has(l));
  const own = facts[test.key];
  return own !== null && test.set.has(own);
}

function fromFor(test: CriterionTest, value: string): From {
  let from = test.froms.get(value);
  if (!from) test.froms.set(value, (from = { kind: fromKindOf(test.key), name: value }));
  return from;
}

/** The criteria of a selector as tests, and the one whose index gives the fewest candidates. */
function prepareCriteria(universe: Universe, target: Target) {
  const tests: CriterionTest[] = criteriaOf(target).map(([key, values]) => ({
    key,
    values,
    set: new Set(values),
    froms: new Map(),
  }));
  let seed = tests[0];
  let seedSize = Infinity;
  for (const test of tests) {
    let size = 0;
    for (const v of test.set) size += universe.index[test.key].get(v)?.length ?? 0;
    if (size < seedSize) [seed, seedSize] = [test, size];
  }
  return { tests, seed: seedSize > 0 ? seed : undefined };
}

interface TrieNode {
  from?: From;
  parent?: TrieNode;
  froms?: From[];
  next: Map<From, TrieNode>;
}

function pathOf(node: TrieNode): From[] {
  const path: From[] = [];
  for (let n: TrieNode | undefined = node; n?.from; n = n.parent) path.push(n.from);
  return path.reverse();
}

/**
 * The provenance of a server meeting the criteria: one shared array per combination of matched
 * values, found without allocating. The seed criterion matched through `value`.
 */
function provenance(
  root: TrieNode,
  tests: readonly CriterionTest[],
  facts: ServerFacts,
  seed: CriterionTest,
  value: string,
): From[] {
  let node = root;
  for (const t of tests) {
    const matched =
      t === seed && t.key !== "labels" ? value : criterionMatch(facts, t.key, t.values)!;
    const from = fromFor(t, matched);
    let next = node.next.get(from);
    if (!next) node.next.set(from, (next = { from, parent: node, next: new Map() }));
    node = next;
  }
  return (node.froms ??= pathOf(node));
}

/** Servers meeting every criterion key (empty criteria match nothing). Runs first. */
function addCriteria(universe: Universe, target: Target, picked: Picked): void {
  const { tests, seed } = prepareCriteria(universe, target);
  if (!seed) return;
  const root: TrieNode = { next: new Map() };
  const seen = seed.set.size > 1 ? new Set<number>() : undefined;
  for (const value of seed.set) {
    for (const rank of universe.index[seed.key].get(value) ?? []) {
      if (seen?.has(rank)) continue;
      seen?.add(rank);
      const facts = universe.servers[rank]!;
      if (tests.length > 1 && !tests.every((t) => t === seed || passes(facts, t))) continue;
      setPicked(picked, rank, provenance(root, tests, facts, seed, value));
    }
  }
}

function applyExclude(universe: Universe, exclude: PreparedExclude, picked: Picked): Selection {
  const selection: Selection = { members: [], ranks: [], excluded: [], excludedRanks: [] };
  const ranks = picked.ascending ? picked.touched : Int32Array.from(picked.touched).sort();
  for (const rank of ranks) {
    const facts = universe.servers[rank]!;
    if (!exclude.empty && isExcluded(facts, rank, exclude)) {
      selection.excluded.push({ name: facts.name, why: exclusionReasons(facts, rank, exclude) });
      selection.excludedRanks.push(rank);
    } else {
      selection.members.push({ name: facts.name, from: picked.froms[rank]! });
      selection.ranks.push(rank);
    }
  }
  return selection;
}
