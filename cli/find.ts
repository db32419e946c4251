/** Look a name up; a miss is a NotFoundError carrying the closest matches. */
import { NotFoundError } from "../core/errors.js";
import { editDistance, suggest } from "../core/suggest.js";

/** The suggestions closest to `wanted`: only those at the smallest edit distance. */
export function closest(wanted: string, candidates: Iterable<string>): string[] {
  const found = suggest(wanted, candidates);
  const w = wanted.toLowerCase();
  const distance = (c: string) => editDistance(w, c.toLowerCase());
  const best = Math.min(...found.map(distance));
  return found.filter((c) => distance(c) === best);
}

export function findByName<T>(
  kind: string,
  items: readonly T[],
  name: string,
  key: (item: T) => string,
): T {
  const hit = items.find((item) => key(item) === name);
  if (hit) return hit;
  throw new NotFoundError(kind, name, closest(name, items.map(key)));
}

/** Throw unless `name` is among `known`. */
export function requireKnown(kind: string, name: string, known: Iterable<string>): void {
  const set = new Set(known);
  if (!set.has(name)) throw new NotFoundError(kind, name, closest(name, set));
}
