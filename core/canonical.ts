/** One canonical writer for JSON and YAML artifacts: sorted keys, LF, a trailing newline. */
import { stringify } from "yaml";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** JSON with keys sorted at every level, two-space indent, trailing newline. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

/**
 * YAML with keys sorted at every level (unless `sort: false`, for formats whose key order
 * matters), no anchors, no line folding, trailing newline. `version: "1.1"` quotes every string
 * a YAML 1.1 reader (Ruby's Psych, hence Puppet) would take for another type: yes, on, 2024-01-01.
 */
export function canonicalYaml(
  value: unknown,
  options: { sort?: boolean; version?: "1.1" | "1.2" } = {},
): string {
  const v = options.sort === false ? value : sortKeys(value);
  const version = options.version ?? "1.2";
  return stringify(v, { aliasDuplicateObjects: false, lineWidth: 0, indent: 2, version });
}
