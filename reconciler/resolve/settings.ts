/** Repo settings (section `lab`) with every default filled in. */
import type { LabConfig, Settings } from "../../core/model.js";

export const DEFAULT_ENVIRONMENTS: Readonly<Record<string, string>> = {
  dev: "development",
  prod: "production",
  staging: "staging",
};

function sortedRecord<T>(
  entries: Iterable<[string, T | undefined]>,
  keep: (v: T) => boolean,
): Record<string, T> {
  const map = new Map<string, T>();
  for (const [k, v] of entries) if (v !== undefined && keep(v)) map.set(k, v);
  const out: Record<string, T> = {};
  for (const k of [...map.keys()].sort()) out[k] = map.get(k)!;
  return out;
}

export function resolveSettings(lab: LabConfig["lab"]): Settings {
  const own = lab ?? {};
  const environments = sortedRecord<string>(
    [...Object.entries(DEFAULT_ENVIRONMENTS), ...Object.entries(own.environments ?? {})],
    (v) => typeof v === "string",
  );
  const prices = sortedRecord<Record<string, number>>(
    Object.entries(own.prices ?? {}).map(([provider, table]) => [
      provider,
      table && typeof table === "object"
        ? sortedRecord<number>(Object.entries(table), (n) => typeof n === "number")
        : undefined,
    ]),
    () => true,
  );
  const regions = sortedRecord<Record<string, string>>(
    Object.entries(own.regions ?? {}).map(([provider, table]) => [
      provider,
      table && typeof table === "object"
        ? sortedRecord<string>(Object.entries(table), (r) => typeof r === "string")
        : undefined,
    ]),
    () => true,
  );
  return {
    name: typeof own.name === "string" ? own.name : "lab",
    environments,
    defaultBranch: typeof own.default_branch === "string" ? own.default_branch : "main",
    ignore: Array.isArray(own.ignore) ? own.ignore.filter((g) => typeof g === "string") : [],
    prices,
    regions,
  };
}
