/** Look a name up; a miss is a NotFoundError carrying the closest matches. */
import { NotFoundError } from "../core/errors.js";
import { suggest } from "../core/suggest.js";

export function findByName<T>(
  kind: string,
  items: readonly T[],
  name: string,
  key: (item: T) => string,
): T {
  const hit = items.find((item) => key(item) === name);
  if (hit) return hit;
  throw new NotFoundError(kind, name, suggest(name, items.map(key)));
}

/** Throw unless `name` is among `known`. */
export function requireKnown(kind: string, name: string, known: Iterable<string>): void {
  const set = new Set(known);
  if (!set.has(name)) throw new NotFoundError(kind, name, suggest(name, set));
}
