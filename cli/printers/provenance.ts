/** Words for provenance (`From`) and exclusion reasons, shared by show, targets and explain. */
import type { ExcludeReason, From, FromKind } from "../../core/model.js";
import { renderTree, type TreeNode } from "./tree.js";

const KIND_ORDER: readonly FromKind[] = [
  "label",
  "group",
  "environment",
  "region",
  "provider",
  "size",
  "server",
  "auto",
];

/** `label: postgres`, `group: production`, `auto-generated from size: large`. */
export function fromPhrase(from: From): string {
  const base =
    from.kind === "auto" ? `auto-generated from ${from.name}` : `${from.kind}: ${from.name}`;
  return from.via ? `${base} via ${from.via}` : base;
}

/** `(from label: postgres)` or `(auto-generated from identity)`. */
export function fromSuffix(from: readonly From[]): string {
  if (!from.length) return "";
  const parts = from.map((f) => (f.kind === "auto" ? fromPhrase(f) : `from ${fromPhrase(f)}`));
  return `(${parts.join("; ")})`;
}

/** The header a tree of items from one source sits under: `FROM LABEL k8s-worker:`. */
export function fromHeader(from: From): string {
  return from.kind === "auto" ? "AUTO-GENERATED:" : `FROM ${from.kind.toUpperCase()} ${from.name}:`;
}

function headerKey(from: From): string {
  return from.kind === "auto" ? "auto" : `${from.kind}\0${from.name}`;
}

export interface ProvenanceItem {
  text: string;
  from: readonly From[];
}

/**
 * Items grouped under the header of their first source, headers ordered by kind (labels in the
 * server's label order, then groups, environment, …, auto-generated last). An item with several
 * sources notes the others as `(also from …)`; an auto-generated one names its rule.
 */
export function groupByFrom(
  items: readonly ProvenanceItem[],
  labelOrder: readonly string[],
): TreeNode[] {
  const groups = new Map<string, { from: From; nodes: TreeNode[] }>();
  for (const item of items) {
    const first = item.from[0];
    if (!first) continue;
    const key = headerKey(first);
    const group = groups.get(key) ?? { from: first, nodes: [] };
    groups.set(key, group);
    const notes: string[] = [];
    if (first.kind === "auto") notes.push(`from ${first.name}`);
    else if (first.via) notes.push(`via ${first.via}`);
    const others = item.from.slice(1).map(fromPhrase);
    if (others.length) notes.push(`also from ${others.join("; ")}`);
    group.nodes.push({ text: notes.length ? `${item.text} (${notes.join("; ")})` : item.text });
  }
  const rank = (f: From): [number, number, string] => {
    const kind = KIND_ORDER.indexOf(f.kind);
    const label = f.kind === "label" ? labelOrder.indexOf(f.name) : -1;
    return [kind, label < 0 ? Number.MAX_SAFE_INTEGER : label, f.name];
  };
  const sorted = [...groups.values()].sort((a, b) => {
    const [ka, la, na] = rank(a.from);
    const [kb, lb, nb] = rank(b.from);
    return ka - kb || la - lb || (na < nb ? -1 : na > nb ? 1 : 0);
  });
  return sorted.map((g) => ({ text: fromHeader(g.from), children: g.nodes }));
}

const BY_WORD: Readonly<Record<ExcludeReason["by"], string>> = {
  servers: "name",
  labels: "label",
  environment: "environment",
  region: "region",
  provider: "provider",
  size: "size",
  groups: "group",
};

/**
 * Why something was excluded: `explicitly excluded` (or `by name`, for a group's own list) for a
 * listed server, else `by label experimental`, `by group legacy`, … joined with commas.
 */
export function whyPhrase(why: readonly ExcludeReason[], byName = "explicitly excluded"): string {
  if (!why.length) return "excluded";
  return why
    .map((w) => (w.by === "servers" ? byName : `by ${BY_WORD[w.by]} ${w.value}`))
    .join(", ");
}

/**
 * A provenance block as `lab show server` prints it: the title with the count, then per source a
 * header and the items as a tree under it.
 */
export function provenanceSection(
  title: string,
  items: readonly ProvenanceItem[],
  labelOrder: readonly string[],
  indent = "  ",
): string[] {
  if (!items.length) return [`${title}: none`];
  const lines = [`${title} (${items.length}):`];
  for (const group of groupByFrom(items, labelOrder)) {
    lines.push(`${indent}${group.text}`, ...renderTree(group.children ?? [], indent));
  }
  return lines;
}

/** JSON for a From, without absent fields. */
export function fromJson(from: From): { kind: FromKind; name: string; via?: string } {
  return from.via
    ? { kind: from.kind, name: from.name, via: from.via }
    : { kind: from.kind, name: from.name };
}
