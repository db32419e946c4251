/** Criteria (`labels`, `environment`, `region`, `provider`, `size`) and name lists. */
import type { FromKind, Target } from "../../core/model.js";
import { CRITERIA_KEYS, type CriterionKey, type ServerFacts } from "./universe.js";

/** A name or a list of names as a list; anything else (unvalidated input) as nothing. */
export function listOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** The criterion keys a target sets, in canonical order, with their values as lists. */
export function criteriaOf(target: Target | undefined): [CriterionKey, string[]][] {
  const out: [CriterionKey, string[]][] = [];
  if (!target || typeof target !== "object") return out;
  for (const key of CRITERIA_KEYS) {
    if (target[key] !== undefined) out.push([key, listOf(target[key])]);
  }
  return out;
}

export function fromKindOf(key: CriterionKey): FromKind {
  return key === "labels" ? "label" : key;
}

/** The value through which a server meets a criterion (the first listed label it carries …). */
export function criterionMatch(
  facts: ServerFacts,
  key: CriterionKey,
  values: readonly string[],
): string | undefined {
  if (key === "labels") {
    for (const v of values) if (facts.labels.includes(v)) return v;
    return undefined;
  }
  const own = facts[key];
  return own !== null && values.includes(own) ? own : undefined;
}

/** The distinct names of a list (a name or a list of names). */
export function uniqueNames(value: unknown): string[] {
  return [...new Set(listOf(value))];
}
