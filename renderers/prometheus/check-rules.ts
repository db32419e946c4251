/** Rule files for catalog checks: one per check in use, its content fixed by the catalog. */
import { CHECKS } from "../../core/check-catalog.js";
import type { Diagnosed, Diagnostic, SourcePos } from "../../core/diagnostics.js";
import type { From, FromKind, ResolvedCheck, ResolvedModel } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { checkRulePath } from "./paths.js";
import { substituteSelector } from "./promql.js";
import { ruleFile, type AlertingRule } from "./rule-file.js";

type SourceLookup = ReadonlyMap<FromKind, ReadonlyMap<string, readonly SourcePos[]>>;

function push(map: Map<string, SourcePos[]>, key: string, pos: SourcePos): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}

/**
 * Sources by provenance. Auto-generated checks (`size: large`, `port 443`, `class nginx`) cite
 * the size or the labels that declare the port or class; `identity`/`enrollment` cite nothing.
 */
function sourceLookup(model: ResolvedModel): SourceLookup {
  const named = <T extends { name: string; source: SourcePos }>(items: readonly T[]) =>
    new Map(items.map((i) => [i.name, [i.source]]));
  const auto = new Map<string, SourcePos[]>();
  for (const size of model.sizes) push(auto, `size: ${size.name}`, size.source);
  for (const label of model.labels) {
    for (const port of label.spec.ports ?? []) push(auto, `port ${port}`, label.source);
    for (const cls of label.classes) push(auto, `class ${cls.name}`, label.source);
  }
  return new Map<FromKind, ReadonlyMap<string, readonly SourcePos[]>>([
    ["label", named(model.labels)],
    ["group", named(model.groups)],
    ["server", named(model.servers)],
    ["size", named(model.sizes)],
    ["auto", auto],
  ]);
}

/** The config that brings the check: the labels, groups, servers and sizes its members get it from. */
function checkSources(check: ResolvedCheck, lookup: SourceLookup): SourcePos[] {
  const seen = new Set<From>();
  const out: SourcePos[] = [];
  for (const member of check.members) {
    for (const from of member.from) {
      if (seen.has(from)) continue;
      seen.add(from);
      out.push(...(lookup.get(from.kind)?.get(from.name) ?? []));
    }
  }
  return out;
}

function unknownCheck(name: string, sources: readonly SourcePos[]): Diagnostic {
  const at = sources[0] ?? { file: "", line: 1, col: 1 };
  return {
    ...at,
    severity: "error",
    code: "LAB205",
    pointer: "",
    message: `unknown check "${name}" (known: ${[...CHECKS.keys()].sort().join(", ")})`,
  };
}

/** The alerting rule of a catalog check, selecting the servers whose `lab_alerts` name it. */
export function checkRule(name: string): AlertingRule | null {
  const def = CHECKS.get(name);
  if (!def) return null;
  return {
    alert: def.name,
    expr: substituteSelector(def.expr, def.name),
    for: def.for,
    labels: { severity: def.severity },
    annotations: { summary: def.summary },
  };
}

/** One rule file per catalog check that applies to at least one server. */
export function renderCheckRules(model: ResolvedModel): Diagnosed<Artifact[]> {
  const lookup = sourceLookup(model);
  const value: Artifact[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const check of model.checks) {
    if (check.members.length === 0) continue;
    const sources = checkSources(check, lookup);
    const rule = checkRule(check.name);
    if (!rule) {
      diagnostics.push(unknownCheck(check.name, sources));
      continue;
    }
    const content = ruleFile(`lab:checks:${check.name}`, [rule]);
    value.push(makeArtifact(checkRulePath(check.name), content, sources));
  }
  return { value, diagnostics };
}
