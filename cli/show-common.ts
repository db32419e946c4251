/** Small pieces the `show` views share. */
import type { ResolvedModel } from "../core/model.js";
import type { TreeNode } from "./printers/tree.js";

/** A NameList (one name or a list) as a list. */
export function asList<T extends string>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

/** `mail-1 (xcpng, prod)` for each named server, with an optional note after it. */
export function serverNodes(
  model: ResolvedModel,
  names: readonly string[],
  note: (name: string) => string = () => "",
): TreeNode[] {
  const byName = new Map(model.servers.map((s) => [s.name, s]));
  return names.map((name) => {
    const s = byName.get(name);
    const where = s ? [s.provider, s.environment].filter(Boolean).join(", ") : "";
    const extra = note(name);
    return { text: [name, where ? `(${where})` : "", extra].filter(Boolean).join(" ") };
  });
}

/** `labels [k8s-worker]; groups [production]` — a selector's keys and values. */
export function selectorText(selector: object | undefined): string {
  if (!selector) return "none";
  const parts = Object.entries(selector as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} [${asList(v as string | string[]).join(", ")}]`);
  return parts.length ? parts.join("; ") : "none";
}
