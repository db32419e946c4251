/** Groups and user alerts resolved to their members (groups memoized, cycles guarded). */
import { cmp, type Diagnostic } from "../../core/diagnostics.js";
import { escapeToken } from "../../core/json-pointer.js";
import type {
  Alert,
  Group,
  LoadedRepo,
  ResolvedGroup,
  ResolvedUserAlert,
  Selector,
  Target,
} from "../../core/model.js";
import { sortedDeep } from "./canonical-spec.js";
import { criteriaOf, listOf } from "./criteria.js";
import { evaluateSelector, type Selection } from "./evaluate.js";
import {
  CRITERIA_KEYS,
  buildIndex,
  rankIndex,
  type ServerFacts,
  type Universe,
} from "./universe.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The criteria of a target or `match`, without anything else. */
function criteriaPart(value: unknown): Target {
  const out: Record<string, unknown> = {};
  if (!isObject(value)) return out;
  for (const key of CRITERIA_KEYS) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

export function groupSelector(spec: Group): Selector {
  return {
    ...criteriaPart(spec.match),
    groups: listOf(spec.groups),
    servers: listOf(spec.servers),
    exclude: isObject(spec.exclude) ? spec.exclude : undefined,
  };
}

export function alertSelector(spec: Alert): Selector {
  const target: unknown = spec.target;
  return {
    ...criteriaPart(target),
    groups: isObject(target) ? listOf(target.groups) : [],
    servers: isObject(target) ? listOf(target.servers) : [],
    exclude: isObject(spec.exclude) ? spec.exclude : undefined,
  };
}

export interface ConfigUniverse {
  universe: Universe;
  /** The selection of a group (computing it on first use); undefined for unknown groups. */
  groupSelection(name: string): Selection | undefined;
}

/** A universe over the config's servers whose groups are resolved lazily and memoized. */
export function configUniverse(
  servers: readonly ServerFacts[],
  groups: Readonly<Record<string, Group | undefined>>,
): ConfigUniverse {
  const memo = new Map<string, { selection: Selection; members: Set<number> }>();
  const visiting = new Set<string>();
  const resolveGroup = (name: string) => {
    const done = memo.get(name);
    if (done) return done;
    const spec = Object.hasOwn(groups, name) ? groups[name] : undefined;
    if (!isObject(spec) || visiting.has(name)) return undefined;
    visiting.add(name);
    const selection = evaluateSelector(universe, groupSelector(spec));
    visiting.delete(name);
    const entry = { selection, members: new Set(selection.ranks) };
    memo.set(name, entry);
    return entry;
  };
  const universe: Universe = {
    servers,
    rankOf: rankIndex(servers),
    index: buildIndex(servers),
    groupMembers: (name) => resolveGroup(name)?.members,
  };
  return { universe, groupSelection: (name) => resolveGroup(name)?.selection };
}

export function resolveGroups(
  repo: LoadedRepo,
  cu: ConfigUniverse,
  diagnostics: Diagnostic[],
): { groups: ResolvedGroup[]; selections: Selection[] } {
  const specs = repo.config.groups ?? {};
  const groups: ResolvedGroup[] = [];
  const selections: Selection[] = [];
  for (const name of Object.keys(specs).sort(cmp)) {
    const spec = specs[name];
    const selection = cu.groupSelection(name);
    if (!spec || !selection) continue;
    const pointer = `/groups/${escapeToken(name)}`;
    const source = repo.sources.locate(pointer);
    groups.push({
      name,
      spec: sortedDeep(spec),
      members: selection.members,
      subgroups: listOf(spec.groups),
      excluded: selection.excluded,
      source,
    });
    selections.push(selection);
    if (selection.members.length === 0) {
      const what = `group "${name}" (${describeSelector(groupSelector(spec))})`;
      diagnostics.push(unmatched(repo, pointer, what, selection, { key: true }));
    }
  }
  return { groups, selections };
}

export function resolveAlerts(
  repo: LoadedRepo,
  universe: Universe,
  diagnostics: Diagnostic[],
): { alerts: ResolvedUserAlert[]; selections: Selection[] } {
  const specs = (repo.config.alerts ?? []).map((spec, i) => ({ spec, i }));
  specs.sort((a, b) => cmp(String(a.spec.name), String(b.spec.name)) || a.i - b.i);
  const alerts: ResolvedUserAlert[] = [];
  const selections: Selection[] = [];
  for (const { spec, i } of specs) {
    if (!isObject(spec) || typeof spec.name !== "string") continue;
    const selector = alertSelector(spec);
    const selection = evaluateSelector(universe, selector);
    const pointer = `/alerts/${i}`;
    alerts.push({
      name: spec.name,
      spec: sortedDeep(spec),
      severity: spec.severity ?? "warning",
      members: selection.members,
      excluded: selection.excluded,
      source: repo.sources.locate(pointer),
    });
    selections.push(selection);
    if (selection.members.length === 0) {
      const what = `alert "${spec.name}" (${describeSelector(selector)})`;
      diagnostics.push(unmatched(repo, pointer, what, selection, {}));
    }
  }
  return { alerts, selections };
}

function formatValues(value: unknown): string {
  return Array.isArray(value) ? `[${listOf(value).join(", ")}]` : listOf(value).join(", ");
}

/** `labels [a, b], environment prod, groups [g]` — what a selector asks for, as written. */
export function describeSelector(selector: Selector): string {
  const parts = criteriaOf(selector).map(([key]) => `${key} ${formatValues(selector[key])}`);
  for (const key of ["groups", "servers"] as const) {
    if (listOf(selector[key]).length) parts.push(`${key} ${formatValues(selector[key])}`);
  }
  return parts.length
    ? `selects ${parts.join(", ")}`
    : "selects nothing: no criteria, groups or servers";
}

function unmatched(
  repo: LoadedRepo,
  pointer: string,
  what: string,
  selection: Selection,
  options: { key?: boolean },
): Diagnostic {
  const n = selection.excluded.length;
  const why = n
    ? `all ${n} selected server${n === 1 ? " is" : "s are"} excluded (${selection.excluded
        .slice(0, 5)
        .map((e) => e.name)
        .join(", ")}${n > 5 ? ", …" : ""})`
    : "no server matches";
  return {
    ...repo.sources.locate(pointer, options),
    severity: "warning",
    code: "LAB230",
    pointer,
    message: `${what}: ${why}`,
    fix: "check the selector's names and values against the servers, or remove it",
  };
}
