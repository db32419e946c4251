/**
 * What one server gets from its labels, its classes and the auto-generation rules: classes,
 * ports, secrets and alerts, each with provenance.
 */
import {
  checkForPort,
  checksForClass,
  ENROLLMENT_CHECKS,
  IDENTITY_CHECKS,
  SIZE_CHECKS,
} from "../../core/check-catalog.js";
import { cmp } from "../../core/diagnostics.js";
import type {
  From,
  Label,
  Member,
  PuppetIndex,
  PuppetSecretUse,
  ResolvedAlertRef,
  ResolvedClass,
  ResolvedPort,
  ResolvedSecretRef,
  SecretMeta,
} from "../../core/model.js";
import { sortedDeep } from "./canonical-spec.js";
import { addFrom, sameFrom } from "./from-list.js";
import { listOf } from "./evaluate.js";

export interface LabelClass {
  name: string;
  params: Readonly<Record<string, unknown>>;
}

/** A label's contributions, parsed once. */
export interface LabelInfo {
  from: From;
  classes: LabelClass[];
  ports: number[];
  size: string | null;
  alerts: string[];
  secrets: string[];
}

export interface ItemContext {
  labels: ReadonlyMap<string, LabelInfo>;
  puppet: PuppetIndex;
  secretMeta: Readonly<Record<string, SecretMeta | undefined>>;
  /** Shared `{kind: "auto"}` provenance objects, by rule name. */
  autoFrom(rule: string): From;
  /**
   * One object per key, made on first use: items with a single provenance entry are shared by
   * every server that gets them the same way (so they are never changed in place).
   */
  shared<T>(key: string, make: () => T): T;
}

/** Adds `from` to a map entry that may be shared: copies it first unless this server owns it. */
function extend<K, T extends { from: From[] }>(
  map: Map<K, T>,
  key: K,
  from: From,
  owned: Set<T>,
): void {
  const item = map.get(key)!;
  if (item.from.some((f) => sameFrom(f, from))) return;
  if (owned.has(item)) item.from.push(from);
  else {
    const copy = { ...item, from: [...item.from, from] };
    owned.add(copy);
    map.set(key, copy);
  }
}

export function labelInfo(name: string, spec: Label): LabelInfo {
  return {
    from: { kind: "label", name },
    classes: labelClasses(spec.puppet_classes),
    ports: Array.isArray(spec.ports) ? spec.ports.filter((p) => Number.isInteger(p)) : [],
    size: typeof spec.size === "string" ? spec.size : null,
    alerts: listOf(spec.alerts),
    secrets: listOf(spec.secrets),
  };
}

export function labelClasses(classes: Label["puppet_classes"]): LabelClass[] {
  if (Array.isArray(classes)) {
    return listOf(classes).map((name) => ({ name, params: {} }));
  }
  if (classes === null || typeof classes !== "object") return [];
  return Object.entries(classes).map(([name, params]) => ({
    name,
    params: params !== null && typeof params === "object" ? sortedDeep(params) : {},
  }));
}

/** Classes from the labels in label order, de-duplicated (the first label's params win). */
export function classesFor(labels: readonly string[], ctx: ItemContext): ResolvedClass[] {
  const byName = new Map<string, ResolvedClass>();
  const owned = new Set<ResolvedClass>();
  for (const label of labels) {
    const info = ctx.labels.get(label);
    if (!info) continue;
    for (const c of info.classes) {
      if (byName.has(c.name)) extend(byName, c.name, info.from, owned);
      else {
        const make = () => ({ name: c.name, params: c.params, from: [info.from] });
        byName.set(c.name, ctx.shared(`class\0${label}\0${c.name}`, make));
      }
    }
  }
  return [...byName.values()];
}

export function portsFor(labels: readonly string[], ctx: ItemContext): ResolvedPort[] {
  const byPort = new Map<number, ResolvedPort>();
  const owned = new Set<ResolvedPort>();
  for (const label of labels) {
    const info = ctx.labels.get(label);
    if (!info) continue;
    for (const port of info.ports) {
      if (byPort.has(port)) extend(byPort, port, info.from, owned);
      else
        byPort.set(
          port,
          ctx.shared(`port\0${label}\0${port}`, () => ({ port, from: [info.from] })),
        );
    }
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

function puppetSecrets(puppet: PuppetIndex, className: string): readonly PuppetSecretUse[] {
  const classes = puppet.classes;
  const bare = className.replace(/^::/, "");
  return (Object.hasOwn(classes, bare) ? classes[bare]?.secrets : undefined) ?? [];
}

/** Its labels' secrets, then every lab::secret() in the classes it gets; sorted by path. */
export function secretsFor(
  labels: readonly string[],
  classes: readonly ResolvedClass[],
  ctx: ItemContext,
): ResolvedSecretRef[] {
  const byPath = new Map<string, ResolvedSecretRef>();
  const owned = new Set<ResolvedSecretRef>();
  const add = (path: string, from: From, key: string): void => {
    if (byPath.has(path)) return extend(byPath, path, from, owned);
    const access = ctx.secretMeta[path]?.type === "dynamic" ? "dynamic" : "read";
    byPath.set(
      path,
      ctx.shared(`secret\0${path}\0${key}`, () => ({ path, access, from: [from] })),
    );
  };
  for (const label of labels) {
    const info = ctx.labels.get(label);
    if (info) for (const path of info.secrets) add(path, info.from, label);
  }
  for (const c of classes) {
    const uses = puppetSecrets(ctx.puppet, c.name);
    if (uses.length === 0) continue;
    for (const f of c.from) {
      const key = `${f.name}\0class ${c.name}`;
      const via = ctx.shared(`via\0${key}`, (): From => ({ ...f, via: `class ${c.name}` }));
      for (const use of uses) add(use.path, via, key);
    }
  }
  return [...byPath.values()].sort((a, b) => cmp(a.path, b.path));
}

export interface CheckInputs {
  labels: readonly string[];
  classes: readonly ResolvedClass[];
  ports: readonly ResolvedPort[];
  size: string | null;
}

/** The user alerts (sorted by name) and their members, for building the servers' lists. */
export interface UserAlertIndex {
  names: readonly string[];
  members: readonly (readonly Member[])[];
  /** How many user alerts sort before `name` (memoized). */
  before(name: string): number;
  /**
   * The ref of alert `i` selecting a server through `from`: one shared object per alert and
   * provenance array (provenance arrays are shared by the members picked the same way).
   */
  ref(i: number, from: From[]): ResolvedAlertRef;
}

export function userAlertIndex(
  names: readonly string[],
  members: readonly (readonly Member[])[],
): UserAlertIndex {
  const memo = new Map<string, number>();
  const refs = names.map(() => new Map<From[], ResolvedAlertRef>());
  return {
    names,
    members,
    ref(i, from) {
      const cache = refs[i]!;
      let ref = cache.get(from);
      if (!ref) cache.set(from, (ref = { name: names[i]!, kind: "user", from }));
      return ref;
    },
    before(name) {
      let pos = memo.get(name);
      if (pos !== undefined) return pos;
      let [lo, hi] = [0, names.length];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmp(names[mid]!, name) < 0) lo = mid + 1;
        else hi = mid;
      }
      memo.set(name, (pos = lo));
      return pos;
    },
  };
}

/**
 * Catalog checks and user alerts in one list, sorted by name (a check before a user alert of the
 * same name). `pairs` holds [alert index, member index] pairs of the alerts selecting the server,
 * in alert order.
 */
export function mergeAlerts(
  checks: readonly ResolvedAlertRef[],
  pairs: readonly number[],
  index: UserAlertIndex,
): ResolvedAlertRef[] {
  const out: ResolvedAlertRef[] = [];
  let u = 0;
  const pushUser = (): void => {
    const [i, j] = [pairs[u]!, pairs[u + 1]!];
    u += 2;
    const name = index.names[i]!;
    const from = index.members[i]![j]!.from;
    const last = out[out.length - 1];
    if (last?.kind !== "user" || last.name !== name) out.push(index.ref(i, from));
    else {
      const merged = [...last.from];
      for (const f of from) addFrom(merged, f);
      out[out.length - 1] = { ...last, from: merged };
    }
  };
  for (const check of checks) {
    const pos = index.before(check.name);
    while (u < pairs.length && pairs[u]! < pos) pushUser();
    out.push(check);
  }
  while (u < pairs.length) pushUser();
  return out;
}

/** Label-declared checks, then auto-generated ones; one entry per name, sorted by name. */
export function checksFor(input: CheckInputs, ctx: ItemContext): ResolvedAlertRef[] {
  const byName = new Map<string, ResolvedAlertRef>();
  const owned = new Set<ResolvedAlertRef>();
  const add = (name: string, from: From): void => {
    if (byName.has(name)) return extend(byName, name, from, owned);
    const make = (): ResolvedAlertRef => ({ name, kind: "check", from: [from] });
    byName.set(name, ctx.shared(`check\0${name}\0${from.kind}\0${from.name}`, make));
  };
  for (const label of input.labels) {
    const info = ctx.labels.get(label);
    if (info) for (const check of info.alerts) add(check, info.from);
  }
  if (input.size !== null) {
    const from = ctx.autoFrom(`size: ${input.size}`);
    for (const check of SIZE_CHECKS) add(check, from);
  }
  for (const check of IDENTITY_CHECKS) add(check, ctx.autoFrom("identity"));
  for (const check of ENROLLMENT_CHECKS) add(check, ctx.autoFrom("enrollment"));
  for (const { port } of input.ports) add(checkForPort(port), ctx.autoFrom(`port ${port}`));
  for (const c of input.classes) {
    for (const check of checksForClass(c.name)) add(check, ctx.autoFrom(`class ${c.name}`));
  }
  return [...byName.values()].sort((a, b) => cmp(a.name, b.name));
}
