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
  PuppetIndex,
  PuppetSecretUse,
  ResolvedAlertRef,
  ResolvedClass,
  ResolvedPort,
  ResolvedSecretRef,
  SecretMeta,
} from "../../core/model.js";
import { sortedDeep } from "./canonical-spec.js";
import { addFrom } from "./from-list.js";
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
  for (const label of labels) {
    const info = ctx.labels.get(label);
    if (!info) continue;
    for (const c of info.classes) {
      const existing = byName.get(c.name);
      if (existing) addFrom(existing.from, info.from);
      else byName.set(c.name, { name: c.name, params: c.params, from: [info.from] });
    }
  }
  return [...byName.values()];
}

export function portsFor(labels: readonly string[], ctx: ItemContext): ResolvedPort[] {
  const byPort = new Map<number, ResolvedPort>();
  for (const label of labels) {
    const info = ctx.labels.get(label);
    if (!info) continue;
    for (const port of info.ports) {
      const existing = byPort.get(port);
      if (existing) addFrom(existing.from, info.from);
      else byPort.set(port, { port, from: [info.from] });
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
  const add = (path: string, from: From): void => {
    const existing = byPath.get(path);
    if (existing) return addFrom(existing.from, from);
    const access = ctx.secretMeta[path]?.type === "dynamic" ? "dynamic" : "read";
    byPath.set(path, { path, access, from: [from] });
  };
  for (const label of labels) {
    const info = ctx.labels.get(label);
    if (info) for (const path of info.secrets) add(path, info.from);
  }
  for (const c of classes) {
    const uses = puppetSecrets(ctx.puppet, c.name);
    if (uses.length === 0) continue;
    const via = `class ${c.name}`;
    for (const use of uses) {
      for (const f of c.from) add(use.path, { kind: "label", name: f.name, via });
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

/** Catalog checks and user alerts in one list, sorted by name (a check before a user alert). */
export function mergeAlerts(
  checks: readonly ResolvedAlertRef[],
  user: readonly ResolvedAlertRef[],
): ResolvedAlertRef[] {
  const users = userAlerts(user);
  const out: ResolvedAlertRef[] = [];
  let u = 0;
  for (const check of checks) {
    while (u < users.length && cmp(users[u]!.name, check.name) < 0) out.push(users[u++]!);
    out.push(check);
  }
  while (u < users.length) out.push(users[u++]!);
  return out;
}

/** User alerts, sorted by name: a name given twice (duplicates adjacent) becomes one entry. */
function userAlerts(user: readonly ResolvedAlertRef[]): ResolvedAlertRef[] {
  const out: ResolvedAlertRef[] = [];
  for (const ref of user) {
    const last = out[out.length - 1];
    if (last?.name !== ref.name) out.push(ref);
    else {
      const from = [...last.from];
      for (const f of ref.from) addFrom(from, f);
      out[out.length - 1] = { ...last, from };
    }
  }
  return out;
}

/** Label-declared checks, then auto-generated ones; one entry per name, sorted by name. */
export function checksFor(input: CheckInputs, ctx: ItemContext): ResolvedAlertRef[] {
  const byName = new Map<string, ResolvedAlertRef>();
  const add = (name: string, from: From): void => {
    const existing = byName.get(name);
    if (existing) addFrom(existing.from, from);
    else byName.set(name, { name, kind: "check", from: [from] });
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
