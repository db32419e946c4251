/** Generated groups (nested four levels, exclusions, no cycles) and alerts with targets. */
import type { Bits } from "./bitset.js";
import { emptyBits, orInto } from "./bitset.js";
import type { Fleet } from "./gen-fleet.js";
import type { GenCriteria, GenExclude, GenSources, Scope } from "./gen-select.js";
import {
  makeScope,
  matchBits,
  namedBits,
  roleCriteria,
  serverNames,
  wideCriteria,
  withExclude,
} from "./gen-select.js";
import type { Rng } from "./prng.js";
import { between, chance, distinct, pick, weighted } from "./prng.js";

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

/** How many groups and alerts select a fixed share of the fleet, at every scale. */
const WIDE = 8;
const LEVEL_NAMES = ["pool", "tier", "zone", "estate"];
const DURATIONS = ["1m", "5m", "10m", "15m", "30m", "1h"];
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

function leafGroup(scope: Scope, name: string, wide: boolean, k: number): GenGroup {
  const { rng, fleet } = scope;
  let match: GenCriteria | null = null;
  const sources: GenSources = {};
  const r = rng.next();
  if (wide) match = wideCriteria(scope, k);
  else if (r < 0.75) match = roleCriteria(scope);
  else sources.servers = serverNames(scope, between(rng, 3, 12));
  if (match && !wide && r < 0.1) sources.servers = serverNames(scope, between(rng, 1, 3));
  const members = match ? matchBits(scope, match) : emptyBits(fleet.servers.length);
  if (sources.servers) orInto(members, namedBits(scope, sources.servers));
  const done = withExclude(scope, members, match ? 0.3 : 0);
  scope.groupBits.set(name, done.members);
  return { name, level: 0, match, sources, exclude: done.exclude };
}

/** Sources come only from lower levels (so there is no cycle), at least one from the level below. */
function nestedGroup(scope: Scope, name: string, level: number, byLevel: string[][]): GenGroup {
  const { rng, fleet } = scope;
  const below = byLevel.slice(0, level).flat();
  const direct = byLevel[level - 1] ?? [];
  const more = distinct(between(rng, 1, 3), () => pick(rng, below));
  const groups = [...new Set([pick(rng, direct), ...more])];
  const sources: GenSources = { groups };
  if (chance(rng, 0.3)) sources.servers = serverNames(scope, between(rng, 1, 3));
  const members = emptyBits(fleet.servers.length);
  for (const g of groups) orInto(members, scope.groupBits.get(g) ?? members);
  if (sources.servers) orInto(members, namedBits(scope, sources.servers));
  const others = (byLevel[0] ?? []).filter((g) => !groups.includes(g)).slice(0, 20);
  const done = withExclude(scope, members, 0.35, others);
  scope.groupBits.set(name, done.members);
  return { name, level, match: null, sources, exclude: done.exclude };
}

function levelCounts(total: number): number[] {
  const l3 = Math.max(1, Math.round(total * 0.05));
  const l2 = Math.max(1, Math.round(total * 0.12));
  const l1 = Math.max(1, Math.round(total * 0.25));
  return [Math.max(1, total - l1 - l2 - l3), l1, l2, l3];
}

export interface Groups {
  groups: GenGroup[];
  /** The groups over a fixed share of the fleet. */
  wide: string[];
  scope: Scope;
}

export function makeGroups(rng: Rng, fleet: Fleet, count: number): Groups {
  const scope = makeScope(rng, fleet);
  const groups: GenGroup[] = [];
  const wide: string[] = [];
  const byLevel: string[][] = [];
  const wideCount = Math.min(WIDE, Math.floor(count / 3));
  let n = 0;
  levelCounts(count).forEach((size, level) => {
    const names: string[] = [];
    for (let k = 0; k < size; k++, n++) {
      const word = fleet.labels[n % fleet.labels.length]?.name.replace(/-\d+$/, "") ?? "g";
      const name = `${word}-${LEVEL_NAMES[level]}-${n}`;
      const isWide = level === 0 && k < wideCount;
      groups.push(
        level === 0 ? leafGroup(scope, name, isWide, k) : nestedGroup(scope, name, level, byLevel),
      );
      (isWide ? wide : names).push(name);
    }
    byLevel.push(names);
  });
  return { groups, wide, scope };
}

function alertTarget(scope: Scope, groups: Groups, i: number): GenCriteria & GenSources {
  const { rng } = scope;
  if (i < Math.min(WIDE, groups.wide.length + 4)) {
    const wideGroup = groups.wide[i % Math.max(1, groups.wide.length)];
    return i % 3 === 2 && wideGroup ? { groups: [wideGroup] } : wideCriteria(scope, i);
  }
  const narrow = groups.groups.filter((g) => !groups.wide.includes(g.name)).map((g) => g.name);
  const kind = weighted(rng, [
    ["labels", 45],
    ["groups", 25],
    ["servers", 10],
    ["mixed", 20],
  ]);
  if (kind === "labels") return { labels: roleCriteria(scope).labels ?? [] };
  if (kind === "groups") return { groups: distinct(between(rng, 1, 2), () => pick(rng, narrow)) };
  if (kind === "servers") return { servers: serverNames(scope, between(rng, 1, 5)) };
  return roleCriteria(scope);
}

function targetBits(scope: Scope, target: GenCriteria & GenSources): Bits {
  const { groups, servers, ...criteria } = target;
  const bits = Object.keys(criteria).length
    ? matchBits(scope, criteria)
    : emptyBits(scope.fleet.servers.length);
  for (const g of groups ?? []) orInto(bits, scope.groupBits.get(g) ?? bits);
  if (servers) orInto(bits, namedBits(scope, servers));
  return bits;
}

export function makeAlerts(groups: Groups, count: number): GenAlert[] {
  const { scope } = groups;
  const { rng, fleet } = scope;
  return Array.from({ length: count }, (_, i) => {
    const target = alertTarget(scope, groups, i);
    const { exclude } = withExclude(scope, targetBits(scope, target), 0.25);
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
