/** Provenance lists: one entry per distinct (kind, name, via), in the order first seen. */
import type { From } from "../../core/model.js";

export function sameFrom(a: From, b: From): boolean {
  return a.kind === b.kind && a.name === b.name && a.via === b.via;
}

export function addFrom(list: From[], from: From): void {
  for (const f of list) if (sameFrom(f, from)) return;
  list.push(from);
}
