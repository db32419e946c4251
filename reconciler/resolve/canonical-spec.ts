/** Specs copied with their keys sorted, so the model never depends on the order keys were written. */

/** A deep copy with object keys sorted at every level (undefined values dropped). */
export function sortedDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedDeep) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source).sort()) {
      if (source[key] !== undefined) out[key] = sortedDeep(source[key]);
    }
    return out as T;
  }
  return value;
}

/**
 * A label spec with sorted keys, except the order of a `puppet_classes` mapping (class order
 * is meaningful); the classes' parameters are sorted.
 */
export function sortedLabelSpec<T extends object>(spec: T): T {
  const source = spec as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    const value = source[key];
    if (value === undefined) continue;
    out[key] = key === "puppet_classes" ? orderedClasses(value) : sortedDeep(value);
  }
  return out as T;
}

function orderedClasses(classes: unknown): unknown {
  if (Array.isArray(classes) || classes === null || typeof classes !== "object") {
    return sortedDeep(classes);
  }
  const ordered: Record<string, unknown> = {};
  for (const [name, params] of Object.entries(classes)) ordered[name] = sortedDeep(params);
  return ordered;
}
