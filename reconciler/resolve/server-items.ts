/**
 * What one server gets from its labels, its classes and the auto-generation rules: classes,
 * ports, secrets and catalog checks, each with provenance.
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
  ResolvedAlertRef,
  ResolvedClass,
  ResolvedPort,
  ResolvedSecretRef,
} from "../../core/model.js";
import { itemList, merge, type LabelInfo } from "./label-info.js";

export interface ItemContext {
  labels: ReadonlyMap<string, LabelInfo>;
  /** The checks of the auto-generation rules, shared: "size: large", "port 443", "class x" … */
  auto: AutoChecks;
  /** Servers with the same labels and size get the same items: by `size\0label\0label…`. */
  items: Map<string, ServerItems>;
}

/** What a server gets from its labels and size (shared by servers with the same ones). */
export interface ServerItems {
  classes: ResolvedClass[];
  ports: ResolvedPort[];
  secrets: ResolvedSecretRef[];
  /** Label-declared and auto-generated catalog checks, sorted by name. */
  checks: ResolvedAlertRef[];
}

export function itemsFor(
  labels: readonly string[],
  size: string | null,
  ctx: ItemContext,
): ServerItems {
  const key = `${size ?? ""}\0${labels.join("\0")}`;
  let items = ctx.items.get(key);
  if (items) return items;
  const classes = classesFor(labels, ctx);
  const ports = portsFor(labels, ctx);
  items = {
    classes,
    ports,
    secrets: secretsFor(labels, ctx),
    checks: checksFor({ labels, classes, ports, size }, ctx),
  };
  ctx.items.set(key, items);
  return items;
}

export interface AutoChecks {
  size(size: string): readonly ResolvedAlertRef[];
  port(port: number): readonly ResolvedAlertRef[];
  class(name: string): readonly ResolvedAlertRef[];
  identity: readonly ResolvedAlertRef[];
  enrollment: readonly ResolvedAlertRef[];
}

function refs(rule: string, checks: readonly string[]): ResolvedAlertRef[] {
  const from: From = { kind: "auto", name: rule };
  return checks.map((name) => ({ name, kind: "check", from: [from] }));
}

function memo<K>(make: (key: K) => ResolvedAlertRef[]): (key: K) => readonly ResolvedAlertRef[] {
  const cache = new Map<K, ResolvedAlertRef[]>();
  return (key) => {
    let out = cache.get(key);
    if (!out) cache.set(key, (out = make(key)));
    return out;
  };
}

/** One set of shared refs per rule, for one resolve. */
export function autoChecks(): AutoChecks {
  return {
    size: memo((size: string) => refs(`size: ${size}`, SIZE_CHECKS)),
    port: memo((port: number) => refs(`port ${port}`, [checkForPort(port)])),
    class: memo((name: string) => refs(`class ${name}`, checksForClass(name))),
    identity: refs("identity", IDENTITY_CHECKS),
    enrollment: refs("enrollment", ENROLLMENT_CHECKS),
  };
}

const byName = (x: { name: string }): string => x.name;
const byPort = (x: ResolvedPort): number => x.port;
const byPath = (x: ResolvedSecretRef): string => x.path;

/** Classes from the labels in label order, de-duplicated (the first label's params win). */
export function classesFor(labels: readonly string[], ctx: ItemContext): ResolvedClass[] {
  const list = itemList<ResolvedClass>();
  for (const label of labels) {
    for (const c of ctx.labels.get(label)?.classes ?? []) merge(list, c, byName);
  }
  return list.items;
}

export function portsFor(labels: readonly string[], ctx: ItemContext): ResolvedPort[] {
  const list = itemList<ResolvedPort>();
  for (const label of labels) {
    for (const p of ctx.labels.get(label)?.ports ?? []) merge(list, p, byPort);
  }
  return list.items.sort((a, b) => a.port - b.port);
}

/** Its labels' secrets, then every lab::secret() in the classes it gets; sorted by path. */
export function secretsFor(labels: readonly string[], ctx: ItemContext): ResolvedSecretRef[] {
  const list = itemList<ResolvedSecretRef>();
  for (const label of labels) {
    for (const s of ctx.labels.get(label)?.secrets ?? []) merge(list, s, byPath);
  }
  for (const label of labels) {
    for (const s of ctx.labels.get(label)?.classSecrets ?? []) merge(list, s, byPath);
  }
  return list.items.sort((a, b) => cmp(a.path, b.path));
}

export interface CheckInputs {
  labels: readonly string[];
  classes: readonly ResolvedClass[];
  ports: readonly ResolvedPort[];
  size: string | null;
}

/** Label-declared checks, then auto-generated ones; one entry per name, sorted by name. */
export function checksFor(input: CheckInputs, ctx: ItemContext): ResolvedAlertRef[] {
  const list = itemList<ResolvedAlertRef>();
  const add = (refs: readonly ResolvedAlertRef[]): void => {
    for (const ref of refs) merge(list, ref, byName);
  };
  for (const label of input.labels) add(ctx.labels.get(label)?.checks ?? []);
  if (input.size !== null) add(ctx.auto.size(input.size));
  add(ctx.auto.identity);
  add(ctx.auto.enrollment);
  for (const { port } of input.ports) add(ctx.auto.port(port));
  for (const c of input.classes) add(ctx.auto.class(c.name));
  return list.items.sort((a, b) => cmp(a.name, b.name));
}
