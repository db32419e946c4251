/** Specs copied with their keys sorted, so the model never depends on the order keys were written. */
import { sortedDeep } from "../../core/sorted-deep.js";

export { sortedDeep };

/**
 * A label spec with sorted keys, except the order of a `puppet_classes` mapping (class order
 * is meaningful); the classes' parameters are sorted.
 */
export function sortedLabelSpec<T extends object>(spec: T): T {
  const source = spec as Record<string, unknown>;
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(source).sort()) {
    const value = source[key];
    if (value === undefined) continue;
    entries.push([key, key === "puppet_classes" ? orderedClasses(value) : sortedDeep(value)]);
  }
  return Object.fromEntries(entries) as T;
}

function orderedClasses(classes: unknown): unknown {
  if (Array.isArray(classes) || classes === null || typeof classes !== "object") {
    return sortedDeep(classes);
  }
  // In the order written (class order matters), keys defined as own properties.
  return Object.fromEntries(
    Object.entries(classes).map(([name, params]) => [name, sortedDeep(params)]),
  );
}
