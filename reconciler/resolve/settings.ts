/** Repo settings (section `lab`) with every default filled in. */
import type { Contact, LabConfig, Settings } from "../../core/model.js";
import { sortedDeep } from "../../core/sorted-deep.js";

/** The known environments of a repo whose `lab.environments` declares none (lab env -> Puppet env). */
export const DEFAULT_ENVIRONMENTS: Readonly<Record<string, string>> = {
  dev: "development",
  prod: "production",
  staging: "staging",
};

function sortedRecord<T>(
  entries: Iterable<[string, unknown]>,
  keep: (v: unknown) => v is T,
): Record<string, T> {
  const map = new Map<string, T>();
  for (const [k, v] of entries) if (v !== undefined && keep(v)) map.set(k, v);
  const out: Record<string, T> = {};
  for (const k of [...map.keys()].sort()) out[k] = map.get(k)!;
  return out;
}

/** provider -> (key -> value) tables, sorted at both levels, keeping values that pass `keep`. */
function sortedTables<T>(
  tables: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> | undefined,
  keep: (v: unknown) => v is T,
): Record<string, Record<string, T>> {
  return sortedRecord<Record<string, T>>(
    Object.entries(tables ?? {}).map(([provider, table]) => [
      provider,
      table && typeof table === "object" ? sortedRecord<T>(Object.entries(table), keep) : undefined,
    ]),
    (t): t is Record<string, T> => t !== null && typeof t === "object",
  );
}

export function resolveSettings(lab: LabConfig["lab"]): Settings {
  const own = lab ?? {};
  const declared = sortedRecord<string>(
    Object.entries(own.environments ?? {}),
    (v): v is string => typeof v === "string",
  );
  // The declared environments are the known set; the defaults only when none are declared.
  const environments = Object.keys(declared).length
    ? declared
    : sortedRecord<string>(
        Object.entries(DEFAULT_ENVIRONMENTS),
        (v): v is string => typeof v === "string",
      );
  return {
    name: typeof own.name === "string" ? own.name : "lab",
    environments,
    defaultBranch: typeof own.default_branch === "string" ? own.default_branch : "main",
    ignore: Array.isArray(own.ignore) ? own.ignore.filter((g) => typeof g === "string") : [],
    prices: sortedTables(own.prices, (n): n is number => typeof n === "number"),
    regions: sortedTables(own.regions, (r): r is string => typeof r === "string"),
    ...(own.prometheus ? { prometheus: own.prometheus } : {}),
    ...(own.contacts ? { contacts: sortedDeep(own.contacts as Record<string, Contact>) } : {}),
    ...(own.outputs ? { outputs: sortedDeep(own.outputs) } : {}),
    ...(own.health ? { health: own.health } : {}),
  };
}
