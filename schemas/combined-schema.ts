import alerts from "./alerts.schema.json" with { type: "json" };
import defs from "./defs.schema.json" with { type: "json" };
import groups from "./groups.schema.json" with { type: "json" };
import labels from "./labels.schema.json" with { type: "json" };
import lab from "./lab.schema.json" with { type: "json" };
import secrets from "./secrets.schema.json" with { type: "json" };
import servers from "./servers.schema.json" with { type: "json" };
import sizes from "./sizes.schema.json" with { type: "json" };

/** The sections of a config repo, in the order they are documented and printed. */
export const SECTIONS = [
  "lab",
  "labels",
  "groups",
  "alerts",
  "sizes",
  "servers",
  "secrets",
] as const;
export type SectionName = (typeof SECTIONS)[number];

/** One JSON Schema per section: the source of truth for the YAML. */
export const SECTION_SCHEMAS: Readonly<Record<SectionName, object>> = {
  lab,
  labels,
  groups,
  alerts,
  sizes,
  servers,
  secrets,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$id" || key === "$schema") continue;
    if (key === "$ref" && typeof value === "string") {
      out[key] = value.replace(/^[a-z]+\.schema\.json#/, "#");
      continue;
    }
    out[key] = rewriteRefs(value);
  }
  return out;
}

/**
 * One schema for a whole merged repo: each section's schema under `properties`, every `$defs`
 * lifted to the root (their names are unique across files), cross-file `$ref`s made local.
 * Used both to validate (ajv, compiled once) and to generate `types.ts`.
 */
export function combinedSchema(): Record<string, Json> {
  const $defs: Record<string, Json> = {};
  const properties: Record<string, Json> = {};
  const all: [string, object][] = [["defs", defs], ...Object.entries(SECTION_SCHEMAS)];
  for (const [name, schema] of all) {
    const rewritten = rewriteRefs(schema as Json) as Record<string, Json>;
    const local = (rewritten.$defs ?? {}) as Record<string, Json>;
    for (const [defName, def] of Object.entries(local)) {
      if (defName in $defs) throw new Error(`schema $defs name ${defName} is defined twice`);
      $defs[defName] = def;
    }
    delete rewritten.$defs;
    if (name !== "defs") properties[name] = rewritten;
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "LabConfig",
    description: "A whole config repo, its sections merged across files.",
    type: "object",
    additionalProperties: false,
    properties,
    $defs,
  };
}
