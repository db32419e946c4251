/** Rule files for catalog checks: one per check in use, its content fixed by the catalog. */
import { CHECKS } from "../../core/check-catalog.js";
import type { Diagnosed, Diagnostic, SourcePos } from "../../core/diagnostics.js";
import type { FromKind, ResolvedCheck, ResolvedModel } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { checkRulePath } from "./paths.js";
import { substituteSelector } from "./promql.js";
import { ruleFile, type AlertingRule } from "./rule-file.js";

type SourceLookup = ReadonlyMap<FromKind, ReadonlyMap<string, SourcePos>>;

function sourceLookup(model: ResolvedModel): SourceLookup {
  return new Map<FromKind, ReadonlyMap<string, SourcePos>>([
    ["label", new Map(model.labels.map((l) => [l.name, l.source]))],
    ["group", new Map(model.groups.map((g) => [g.name, g.source]))],
    ["server", new Map(model.servers.map((s) => [s.name, s.source]))],
    ["size", new Map(model.sizes.map((s) => [s.name, s.source]))],
  ]);
}

/** The config that brings the check: the labels, groups, servers and sizes its members get it from. */
function checkSources(check: ResolvedCheck, lookup: SourceLookup): SourcePos[] {
  const out: SourcePos[] = [];
  for (const member of check.members) {
    for (const from of member.from) {
      const pos = lookup.get(from.kind)?.get(from.name);
      if (pos) out.push(pos);
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
