/** Reading the config's map sections in a fixed order. */
import { cmp } from "../../core/diagnostics.js";

/** [name, spec] of a section's entries, sorted by name (entries without a value skipped). */
export function definedEntries<T>(
  section: Readonly<Record<string, T | undefined>> | undefined,
): [string, T][] {
  const out: [string, T][] = [];
  if (section === null || typeof section !== "object") return out;
  for (const name of Object.keys(section).sort(cmp)) {
    const spec = section[name];
    if (spec !== undefined && spec !== null) out.push([name, spec]);
  }
  return out;
}
