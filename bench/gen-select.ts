/**
 * Selections for the generated groups and alerts. Membership is computed while generating (bit
 * sets over server indexes) so that no selector comes out empty.
 */
import type { Bits } from "./bitset.js";
import { addBit, bitIndexes, countBits, emptyBits, minus } from "./bitset.js";
import type { Fleet, GenServer } from "./gen-fleet.js";
import { BASELINE_LABELS, ROLE_BLOCK } from "./gen-fleet.js";
import type { Rng } from "./prng.js";
import { between, chance, distinct, int, pick, weighted } from "./prng.js";

export interface GenCriteria {
  labels?: string[];
  environment?: string[];
  region?: string;
  provider?: string;
}

export interface GenSources {
  groups?: string[];
  servers?: string[];
}

export interface GenExclude {
  servers?: string[];
  labels?: string[];
  environment?: string[];
  groups?: string[];
}

export interface Scope {
  rng: Rng;
  fleet: Fleet;
  serverIndex: ReadonlyMap<string, number>;
  labelIndex: ReadonlyMap<string, number>;
  groupBits: Map<string, Bits>;
}

export interface Excluded {
  exclude: GenExclude | null;
  members: Bits;
}

export function makeScope(rng: Rng, fleet: Fleet): Scope {
  return {
    rng,
    fleet,
    serverIndex: new Map(fleet.servers.map((s, i) => [s.name, i])),
    labelIndex: new Map(fleet.labels.map((l, i) => [l.name, i])),
    groupBits: new Map(),
  };
}

export function matchBits(scope: Scope, c: GenCriteria): Bits {
  const { fleet } = scope;
  const bits = emptyBits(fleet.servers.length);
  const test = (s: GenServer): boolean =>
    (!c.environment || c.environment.includes(s.environment)) &&
    (!c.region || c.region === s.region) &&
    (!c.provider || c.provider === s.provider);
  const consider = (i: number): void => {
    const s = fleet.servers[i];
    if (s && test(s)) addBit(bits, i);
  };
  if (c.labels) {
    for (const name of c.labels) {
      for (const i of fleet.labelServers[scope.labelIndex.get(name) ?? -1] ?? []) consider(i);
    }
  } else {
    for (let i = 0; i < fleet.servers.length; i++) consider(i);
  }
  return bits;
}

export function namedBits(scope: Scope, names: readonly string[]): Bits {
  const bits = emptyBits(scope.fleet.servers.length);
  for (const name of names) addBit(bits, scope.serverIndex.get(name) ?? 0);
  return bits;
}

export function serverNames(scope: Scope, count: number): string[] {
  const { rng, fleet } = scope;
  return distinct(count, () => fleet.servers[int(rng, fleet.servers.length)]?.name ?? "");
}

/** One to three related roles, sometimes narrowed by an attribute of a server that has the first. */
export function roleCriteria(scope: Scope): GenCriteria {
  const { rng, fleet } = scope;
  const roles = fleet.labels.length - BASELINE_LABELS;
  const first = BASELINE_LABELS + int(rng, roles);
  const block = first - ((first - BASELINE_LABELS) % ROLE_BLOCK);
  const more = distinct(between(rng, 0, 2), () =>
    Math.min(fleet.labels.length - 1, block + int(rng, ROLE_BLOCK)),
  );
  const picked = [...new Set([first, ...more])];
  const criteria: GenCriteria = { labels: picked.map((i) => fleet.labels[i]?.name ?? "") };
  const witness = fleet.servers[pick(rng, fleet.labelServers[first] ?? [0])];
  if (witness && chance(rng, 0.4)) {
    const key = pick(rng, ["environment", "region", "provider"] as const);
    if (key === "environment") criteria.environment = [witness.environment];
    else criteria[key] = witness[key];
  }
  return criteria;
}

/**
 * A selector over a fixed share of the fleet (an environment, a site, a baseline label). There
 * are a fixed number of these at every scale, as in a real repo.
 */
export function wideCriteria(scope: Scope, k: number): GenCriteria {
  const { rng, fleet } = scope;
  const witness = pick(rng, fleet.servers);
  const baseline = fleet.labels[int(rng, BASELINE_LABELS)]?.name ?? "";
  const kinds: GenCriteria[] = [
    { environment: [witness.environment] },
    { environment: [witness.environment], region: witness.region },
    { labels: [baseline] },
    { environment: [witness.environment], provider: witness.provider },
  ];
  return kinds[k % kinds.length] ?? { labels: [baseline] };
}

function excludeCandidate(
  scope: Scope,
  list: readonly number[],
  extraGroups: readonly string[],
): [GenExclude, Bits] {
  const { rng, fleet } = scope;
  const someone = fleet.servers[pick(rng, list)] as GenServer;
  const kind = weighted(rng, [
    ["servers", 5],
    ["labels", 3],
    ["environment", 1],
    ["groups", extraGroups.length ? 1 : 0],
  ]);
  if (kind === "labels") {
    const label = fleet.labels[pick(rng, someone.labels)]?.name ?? "";
    return [{ labels: [label] }, matchBits(scope, { labels: [label] })];
  }
  if (kind === "environment") {
    const env = [someone.environment];
    return [{ environment: env }, matchBits(scope, { environment: env })];
  }
  if (kind === "groups") {
    const group = pick(rng, extraGroups);
    return [{ groups: [group] }, scope.groupBits.get(group) ?? emptyBits(fleet.servers.length)];
  }
  const names = distinct(between(rng, 1, 2), () => fleet.servers[pick(rng, list)]?.name ?? "");
  return [{ servers: names }, namedBits(scope, names)];
}

/** With probability `p`, an exclusion that leaves at least one member. */
export function withExclude(
  scope: Scope,
  members: Bits,
  p: number,
  extraGroups: readonly string[] = [],
): Excluded {
  const list = chance(scope.rng, p) ? bitIndexes(members) : [];
  if (list.length < 3) return { exclude: null, members };
  const [exclude, removed] = excludeCandidate(scope, list, extraGroups);
  const rest = minus(members, removed);
  return countBits(rest) > 0 ? { exclude, members: rest } : { exclude: null, members };
}
