/**
 * The one deep key sort: a copy of JSON-like data with object keys sorted at every level, so
 * output never depends on the order keys were written. Every key is kept as an own data
 * property, `__proto__` included (a Puppet class may well have a parameter of that name).
 */

/** A deep copy with object keys sorted at every level; keys of undefined values are left out. */
export function sortedDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedDeep) as T;
  if (value === null || typeof value !== "object") return value;
  const source = value as Readonly<Record<string, unknown>>;
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(source).sort()) {
    const v = source[key];
    if (v !== undefined) entries.push([key, sortedDeep(v)]);
  }
  // fromEntries defines own properties: "__proto__" stays a key, never the prototype.
  return Object.fromEntries(entries) as T;
}
