/**
 * What each label gives a server, parsed once per resolve. The items carry a single provenance
 * entry (the label) and are shared by every server that gets them from that label; a server
 * that gets an item from several sources gets its own copy (see `extend`).
 */
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
import { listOf } from "./criteria.js";
import { sameFrom } from "./from-list.js";

export interface LabelClass {
  name: string;
  params: Readonly<Record<string, unknown>>;
}

export interface LabelInfo {
  from: From;
  size: string | null;
  classes: ResolvedClass[];
  ports: ResolvedPort[];
  /** Catalog checks the label declares. */
  checks: ResolvedAlertRef[];
  secrets: ResolvedSecretRef[];
  /** The secrets its classes read (`lab::secret()`), each `from` this label `via: class …`. */
  classSecrets: ResolvedSecretRef[];
}

export interface SecretContext {
  puppet: PuppetIndex;
  secretMeta: Readonly<Record<string, SecretMeta | undefined>>;
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

export function secretAccess(ctx: SecretContext, path: string): "read" | "dynamic" {
  return ctx.secretMeta[path]?.type === "dynamic" ? "dynamic" : "read";
}

function puppetSecrets(puppet: PuppetIndex, className: string): readonly PuppetSecretUse[] {
  const classes = puppet.classes;
  const bare = className.replace(/^::/, "");
  return (Object.hasOwn(classes, bare) ? classes[bare]?.secrets : undefined) ?? [];
}

export function labelInfo(name: string, spec: Label, ctx: SecretContext): LabelInfo {
  const from: From = { kind: "label", name };
  const ports = Array.isArray(spec.ports) ? spec.ports.filter((p) => Number.isInteger(p)) : [];
  const classes = labelClasses(spec.puppet_classes);
  return {
    from,
    size: typeof spec.size === "string" ? spec.size : null,
    classes: classes.map((c) => ({ ...c, from: [from] })),
    ports: ports.map((port) => ({ port, from: [from] })),
    checks: listOf(spec.alerts).map((check) => ({ name: check, kind: "check", from: [from] })),
    secrets: listOf(spec.secrets).map((path) => ({
      path,
      access: secretAccess(ctx, path),
      from: [from],
    })),
    classSecrets: classes.flatMap((c) => classSecretRefs(ctx, from, c.name)),
  };
}

function classSecretRefs(ctx: SecretContext, label: From, className: string): ResolvedSecretRef[] {
  const via: From = { ...label, via: `class ${className}` };
  const paths = [...new Set(puppetSecrets(ctx.puppet, className).map((u) => u.path))];
  return paths.sort(cmp).map((path) => ({ path, access: secretAccess(ctx, path), from: [via] }));
}

/** A server's items of one kind: shared items, plus the copies it made (and may change). */
export interface ItemList<T> {
  items: T[];
  owned: T[];
}

export function itemList<T>(): ItemList<T> {
  return { items: [], owned: [] };
}

/**
 * Adds a shared item to a server's list, or the item's provenance to the entry with the same key
 * (copying that entry first unless the server owns it). Lists are short: a linear search.
 */
export function merge<T extends { readonly from: readonly From[] }>(
  list: ItemList<T>,
  item: T,
  keyOf: (item: T) => string | number,
): void {
  const key = keyOf(item);
  const { items } = list;
  let i = 0;
  while (i < items.length && keyOf(items[i]!) !== key) i++;
  if (i === items.length) return void items.push(item);
  const existing = items[i]!;
  if (existing === item) return;
  const extra = item.from.filter((f) => !existing.from.some((e) => sameFrom(e, f)));
  if (extra.length === 0) return;
  // An owned entry is this list's own copy, still being built: its array may grow.
  if (list.owned.includes(existing)) (existing.from as From[]).push(...extra);
  else {
    const copy = { ...existing, from: [...existing.from, ...extra] };
    list.owned.push(copy);
    items[i] = copy;
  }
}
