/**
 * Rule files for catalog checks: one per check in use, holding the check's rule (one per size
 * in use for a sized check) and its `_no_data` companion, which fires when the series the check
 * reads are missing for a member — its exporter is down or was never there — so that a check of
 * the form `… == 0` or `… > N` cannot stay silent for want of data.
 */
import {
  CHECKS,
  JOBS,
  NO_DATA_SUFFIX,
  type CheckDef,
  type JobDef,
} from "../../core/check-catalog.js";
import { cmp, type SourcePos } from "../../core/diagnostics.js";
import { LabError } from "../../core/errors.js";
import type {
  From,
  FromKind,
  ResolvedCheck,
  ResolvedModel,
  ResolvedSize,
} from "../../core/model.js";
import { metricNames, type Selector } from "../../core/promql/promql.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { checkRulePath } from "./paths.js";
import { memberExpr, parsedOrThrow } from "./promql.js";
import { ruleFile, type AlertingRule } from "./rule-file.js";
import { sizeThreshold } from "./size-thresholds.js";

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

/** Metrics of cluster-wide exporters: their series do not carry a server's labels. */
const CLUSTER_METRICS: ReadonlySet<string> = new Set(
  [...JOBS.values()].filter((j) => j.scope === "cluster").flatMap((j) => j.metrics),
);

/** Selectors that read series carrying the servers' lab_* labels (all but cluster-wide ones). */
export function carriesMembership(s: Selector): boolean {
  return s.metric === null || !CLUSTER_METRICS.has(s.metric);
}

export function catalogCheck(name: string): { def: CheckDef; job: JobDef } {
  const def = CHECKS.get(name);
  const job = def && JOBS.get(def.job);
  if (!def || !job) throw new LabError("INTERNAL", `check "${name}" is not in the catalog`);
  return { def, job };
}

/** `expr` with the number its top-level comparison compares with replaced by `value`. */
function withThreshold(name: string, expr: string, value: number): string {
  const root = parsedOrThrow(expr, name).root;
  const rhs = root.name === "BinaryExpr" ? root.lastChild : null;
  if (!rhs || rhs.name !== "NumberLiteral") {
    throw new LabError("INTERNAL", `sized check "${name}" does not compare with a number`);
  }
  return expr.slice(0, rhs.from) + String(value) + expr.slice(rhs.to);
}

function sizedRules(def: CheckDef, sizes: readonly ResolvedSize[]): AlertingRule[] {
  return sizes.map((size) => {
    const t = sizeThreshold(size, def.threshold!);
    const text = withThreshold(def.name, def.expr, t.value);
    return {
      alert: def.name,
      expr: memberExpr(parsedOrThrow(text, def.name), def.name, {
        extra: [{ name: "lab_size", op: "=", value: size.name }],
        where: carriesMembership,
      }),
      for: def.for,
      // The same alert name once per size: the label keeps the rules apart (promtool's lint).
      labels: { severity: def.severity, lab_size: size.name },
      annotations: {
        summary: `${def.summary}: ${t.value}% for size ${size.name}`,
        threshold: `${t.value}%: ${t.why}`,
      },
    };
  });
}

/** The companion's PromQL: the catalog's `no_data`, else the job's targets being down. */
function noDataExpr(def: CheckDef, job: JobDef): string | null {
  if (def.no_data !== undefined) return def.no_data;
  if (job.scope !== "server" && job.scope !== "probe") {
    throw new LabError("INTERNAL", `check "${def.name}" of a ${job.scope} job needs no_data`);
  }
  const probe = def.probe ? `, probe="${def.probe.protocol}"` : "";
  const up = `up{job="${job.name}"${probe}} == 0`;
  // A check that is itself "the job's targets are down" needs no companion.
  return def.expr.replace(/\s+/g, " ") === up ? null : up;
}

function noDataRule(def: CheckDef, job: JobDef): AlertingRule | null {
  const text = noDataExpr(def, job);
  if (text === null) return null;
  const reads = metricNames(parsedOrThrow(def.expr, def.name)).join(", ");
  return {
    alert: `${def.name}${NO_DATA_SUFFIX}`,
    expr: memberExpr(parsedOrThrow(text, def.name), def.name, { where: carriesMembership }),
    for: def.for,
    labels: { severity: def.severity },
    annotations: {
      summary: `No data for ${def.name}: ${job.exporter} (job ${job.name}) is down or missing`,
      description: `${def.name} reads ${reads}; without those series it cannot fire.`,
    },
  };
}

/** The alerting rules of a catalog check: its own (one per size for a sized check), then its companion. */
export function checkRules(name: string, sizes: readonly ResolvedSize[] = []): AlertingRule[] {
  const { def, job } = catalogCheck(name);
  const main: AlertingRule[] = def.threshold
    ? sizedRules(def, sizes)
    : [
        {
          alert: def.name,
          expr: memberExpr(parsedOrThrow(def.expr, def.name), def.name, {
            where: carriesMembership,
          }),
          for: def.for,
          labels: { severity: def.severity },
          annotations: { summary: def.summary },
        },
      ];
  const companion = noDataRule(def, job);
  return companion ? [...main, companion] : main;
}

/** The sizes of a check's members, sorted by name. */
function memberSizes(
  check: ResolvedCheck,
  model: ResolvedModel,
  sizeOf: ReadonlyMap<string, string | null>,
): ResolvedSize[] {
  const names = new Set<string>();
  for (const m of check.members) {
    const size = sizeOf.get(m.name);
    if (size) names.add(size);
  }
  return model.sizes.filter((s) => names.has(s.name)).sort((a, b) => cmp(a.name, b.name));
}

/** One rule file per catalog check that applies to at least one server. */
export function renderCheckRules(model: ResolvedModel): Artifact[] {
  const lookup = sourceLookup(model);
  const sizeOf = new Map(model.servers.map((s) => [s.name, s.size]));
  const value: Artifact[] = [];
  for (const check of model.checks) {
    if (check.members.length === 0) continue;
    const sized = CHECKS.get(check.name)?.threshold !== undefined;
    const rules = checkRules(check.name, sized ? memberSizes(check, model, sizeOf) : []);
    const content = ruleFile(`lab:checks:${check.name}`, rules);
    value.push(makeArtifact(checkRulePath(check.name), content, checkSources(check, lookup)));
  }
  return value;
}
