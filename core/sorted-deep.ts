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
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    const v = source[key];
    if (v === undefined) continue;
    if (key === "__proto__") defineOwn(out, key, sortedDeep(v));
    else out[key] = sortedDeep(v);
  }
  return out as T;
}

/** Sets `key` as an own data property (assignment to "__proto__" would set the prototype). */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
