/**
 * Generated groups (nested up to four levels, exclusions, no cycles) and alerts. Membership is
 * computed while generating so that no selector comes out empty.
 */
import type { Bits } from "./bitset.js";
import { addBit, bitIndexes, countBits, emptyBits, minus, orInto } from "./bitset.js";
import type { Fleet, GenServer } from "./gen-fleet.js";
import type { Rng } from "./prng.js";
import { between, chance, distinct, int, pick, skewed, weighted } from "./prng.js";

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

export interface GenGroup {
  name: string;
  level: number;
  match: GenCriteria | null;
  sources: GenSources;
  exclude: GenExclude | null;
}

export interface GenAlert {
  name: string;
  target: GenCriteria & GenSources;
  exclude: GenExclude | null;
  condition: string;
  severity: "critical" | "warning" | "info";
  for: string | null;
}

const METRICS = [
  "cpu_usage_percent",
  "memory_usage_percent",
  "disk_usage_percent",
  "http_5xx_ratio",
  "queue_depth",
  "replication_lag_seconds",
  "open_connections",
  "gc_pause_seconds",
];
const LEVEL_NAMES = ["pool", "tier", "zone", "estate"];
const DURATIONS = ["1m", "5m", "10m", "15m", "30m", "1h"];

export interface Scope {
  rng: Rng;
  fleet: Fleet;
  serverIndex: ReadonlyMap<string, number>;
  groupBits: Map<string, Bits>;
}

interface Excluded {
  exclude: GenExclude | null;
  members: Bits;
}

function matchBits(fleet: Fleet, c: GenCriteria): Bits {
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
    const byName = new Map(fleet.labels.map((l, i) => [l.name, i]));
    for (const name of c.labels)
      for (const i of fleet.labelServers[byName.get(name) ?? -1] ?? []) consider(i);
  } else {
    for (let i = 0; i < fleet.servers.length; i++) consider(i);
  }
  return bits;
}

/** Criteria by labels, sometimes narrowed by an attribute of a server that has one of them. */
function labelCriteria(scope: Scope): GenCriteria {
  const { rng, fleet } = scope;
  const picked = distinct(between(rng, 1, 3), () => skewed(rng, fleet.labels.length));
  const criteria: GenCriteria = { labels: picked.map((i) => fleet.labels[i]?.name ?? "") };
  const carriers = fleet.labelServers[picked[0] ?? 0] ?? [];
  const witness = fleet.servers[carriers.length ? pick(rng, carriers) : 0];
  if (witness && chance(rng, 0.5)) {
    const key = pick(rng, ["environment", "region", "provider"] as const);
    if (key === "environment") criteria.environment = [witness.environment];
    else criteria[key] = witness[key];
  }
  return criteria;
}

/** An environment (and region) that some server has, so the criteria match someone. */
function environmentCriteria(scope: Scope, withRegion: boolean): GenCriteria {
  const witness = pick(scope.rng, scope.fleet.servers);
  return withRegion
    ? { environment: [witness.environment], region: witness.region }
    : { environment: [witness.environment] };
}

function serverNames(scope: Scope, count: number): string[] {
  const { rng, fleet } = scope;
  return distinct(count, () => fleet.servers[int(rng, fleet.servers.length)]?.name ?? "");
}

function namedBits(scope: Scope, names: readonly string[]): Bits {
  const bits = emptyBits(scope.fleet.servers.length);
  for (const name of names) addBit(bits, scope.serverIndex.get(name) ?? 0);
  return bits;
}

/** Picks an exclusion that leaves at least one member; null when none fits. */
function makeExclude(
  scope: Scope,
  members: Bits,
  extraGroups: readonly string[],
): GenExclude | null {
  const { rng, fleet } = scope;
  const list = bitIndexes(members);
  if (list.length < 3) return null;
  const someone = fleet.servers[pick(rng, list)];
  if (!someone) return null;
  const kind = weighted(rng, [
    ["servers", 5],
    ["labels", 3],
    ["environment", 1],
    ["groups", 1],
  ]);
  let candidate: GenExclude;
  let removed: Bits;
  if (kind === "labels") {
    const label = fleet.labels[pick(rng, someone.labels)]?.name ?? "";
    candidate = { labels: [label] };
    removed = matchBits(fleet, { labels: [label] });
  } else if (kind === "environment") {
    candidate = { environment: [someone.environment] };
    removed = matchBits(fleet, { environment: [someone.environment] });
  } else if (kind === "groups" && extraGroups.length) {
    const group = pick(rng, extraGroups);
    candidate = { groups: [group] };
    removed = scope.groupBits.get(group) ?? emptyBits(fleet.servers.length);
  } else {
    const names = distinct(between(rng, 1, 2), () => fleet.servers[pick(rng, list)]?.name ?? "");
    candidate = { servers: names };
    removed = namedBits(scope, names);
  }
  return countBits(minus(members, removed)) > 0 ? candidate : null;
}

function finish(scope: Scope, members: Bits, pExclude: number, extra: readonly string[]): Excluded {
  const exclude = chance(scope.rng, pExclude) ? makeExclude(scope, members, extra) : null;
  return { exclude, members: exclude ? applyExclude(scope, members, exclude) : members };
}

function applyExclude(scope: Scope, members: Bits, exclude: GenExclude): Bits {
  const { fleet } = scope;
  if (exclude.servers) return minus(members, namedBits(scope, exclude.servers));
  if (exclude.labels) return minus(members, matchBits(fleet, { labels: exclude.labels }));
  if (exclude.environment)
    return minus(members, matchBits(fleet, { environment: exclude.environment }));
  const group = exclude.groups?.[0];
  return group ? minus(members, scope.groupBits.get(group) ?? members) : members;
}

function leafGroup(scope: Scope, name: string): GenGroup {
  const { rng, fleet } = scope;
  const r = rng.next();
  let match: GenCriteria | null = null;
  const sources: GenSources = {};
  if (r < 0.65) match = labelCriteria(scope);
  else if (r < 0.8) match = environmentCriteria(scope, true);
  else sources.servers = serverNames(scope, between(rng, 3, 12));
  if (match && r < 0.1) sources.servers = serverNames(scope, between(rng, 1, 3));
  const members = match ? matchBits(fleet, match) : emptyBits(fleet.servers.length);
  if (sources.servers) orInto(members, namedBits(scope, sources.servers));
  const done = finish(scope, members, match ? 0.3 : 0, []);
  scope.groupBits.set(name, done.members);
  return { name, level: 0, match, sources, exclude: done.exclude };
}

function nestedGroup(scope: Scope, name: string, level: number, byLevel: string[][]): GenGroup {
  const { rng, fleet } = scope;
  const below = byLevel.slice(0, level).flat();
  const direct = byLevel[level - 1] ?? [];
  const groups = [
    ...new Set([pick(rng, direct), ...distinct(between(rng, 1, 3), () => pick(rng, below))]),
  ];
  const sources: GenSources = { groups };
  if (chance(rng, 0.3)) sources.servers = serverNames(scope, between(rng, 1, 3));
  const members = emptyBits(fleet.servers.length);
  for (const g of groups) orInto(members, scope.groupBits.get(g) ?? members);
  if (sources.servers) orInto(members, namedBits(scope, sources.servers));
  const others = (byLevel[0] ?? []).filter((g) => !groups.includes(g));
  const done = finish(scope, members, 0.35, others.slice(0, 20));
  scope.groupBits.set(name, done.members);
  return { name, level, match: null, sources, exclude: done.exclude };
}

function levelCounts(total: number): number[] {
  const l3 = Math.max(1, Math.round(total * 0.05));
  const l2 = Math.max(1, Math.round(total * 0.12));
  const l1 = Math.max(1, Math.round(total * 0.25));
  return [Math.max(1, total - l1 - l2 - l3), l1, l2, l3];
}

export function makeGroups(
  rng: Rng,
  fleet: Fleet,
  count: number,
): { groups: GenGroup[]; scope: Scope } {
  const serverIndex = new Map(fleet.servers.map((s, i) => [s.name, i]));
  const scope: Scope = { rng, fleet, serverIndex, groupBits: new Map() };
  const groups: GenGroup[] = [];
  const byLevel: string[][] = [];
  let n = 0;
  levelCounts(count).forEach((size, level) => {
    const names: string[] = [];
    for (let k = 0; k < size; k++, n++) {
      const word = fleet.labels[n % fleet.labels.length]?.name.replace(/-\d+$/, "") ?? "g";
      const name = `${word}-${LEVEL_NAMES[level]}-${n}`;
      groups.push(level === 0 ? leafGroup(scope, name) : nestedGroup(scope, name, level, byLevel));
      names.push(name);
    }
    byLevel.push(names);
  });
  return { groups, scope };
}

function alertTarget(scope: Scope, groupNames: readonly string[]): GenCriteria & GenSources {
  const { rng } = scope;
  const kind = weighted(rng, [
    ["labels", 40],
    ["groups", 20],
    ["environment", 15],
    ["servers", 10],
    ["mixed", 15],
  ]);
  if (kind === "labels") return { labels: labelCriteria(scope).labels ?? [] };
  if (kind === "groups")
    return { groups: distinct(between(rng, 1, 2), () => pick(rng, groupNames)) };
  if (kind === "environment") return environmentCriteria(scope, false);
  if (kind === "servers") return { servers: serverNames(scope, between(rng, 1, 5)) };
  return labelCriteria(scope);
}

function targetBits(scope: Scope, target: GenCriteria & GenSources): Bits {
  const { fleet } = scope;
  const { groups, servers, ...criteria } = target;
  const bits = Object.keys(criteria).length
    ? matchBits(fleet, criteria)
    : emptyBits(fleet.servers.length);
  for (const g of groups ?? []) orInto(bits, scope.groupBits.get(g) ?? bits);
  if (servers) orInto(bits, namedBits(scope, servers));
  return bits;
}

export function makeAlerts(scope: Scope, groups: readonly GenGroup[], count: number): GenAlert[] {
  const { rng, fleet } = scope;
  const groupNames = groups.map((g) => g.name);
  return Array.from({ length: count }, (_, i) => {
    const target = alertTarget(scope, groupNames);
    const { exclude } = finish(scope, targetBits(scope, target), 0.25, []);
    const word = (fleet.labels[i % fleet.labels.length]?.name ?? "x").replace(/[^a-z0-9]/g, "_");
    const op = pick(rng, [">", "<", ">="]);
    return {
      name: `${word}_${pick(rng, METRICS)}_${i}`,
      target,
      exclude,
      condition: `${pick(rng, METRICS)} ${op} ${between(rng, 1, 100)}`,
      severity: weighted(rng, [
        ["critical", 2],
        ["warning", 6],
        ["info", 2],
      ]),
      for: chance(rng, 0.6) ? pick(rng, DURATIONS) : null,
    };
  });
}
