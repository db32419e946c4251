/**
 * `explain`: why a server is in or out of a group or an alert — each rule that decided, with
 * where it is written. Uses the same selector evaluation as resolve.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import { NotFoundError } from "../../core/errors.js";
import { escapeToken } from "../../core/json-pointer.js";
import type { LoadedRepo, ResolvedModel, Selector } from "../../core/model.js";
import { suggest } from "../../core/suggest.js";
import { criteriaOf, criterionMatch, fromKindOf, listOf } from "./criteria.js";
import { exclusionReasons, prepareExclude } from "./exclude.js";
import { alertSelector, groupSelector } from "./targets.js";
import {
  universeFromModel,
  valuesOf,
  type CriterionKey,
  type ServerFacts,
  type Universe,
} from "./universe.js";

export type Verdict = "member" | "excluded" | "not-selected";

export interface ExplanationStep {
  /** The rule as written, e.g. `match.labels: [k8s-worker, k8s-server]`. */
  rule: string;
  /** criterion: match/target keys (all must match); group/server: sources; exclude: taken out. */
  role: "criterion" | "group" | "server" | "exclude";
  /** Whether the rule applies to the server (for exclude: whether it takes the server out). */
  matched: boolean;
  /** E.g. `via label k8s-worker`, `the server's environment is dev`. */
  detail: string;
  pointer: string;
  pos: SourcePos;
  /** Via a group: why the server is a member of it. */
  steps: ExplanationStep[];
}

export interface Explanation {
  server: string;
  kind: "group" | "alert";
  name: string;
  verdict: Verdict;
  /** Where the group or alert is defined. */
  pos: SourcePos;
  steps: ExplanationStep[];
}

interface Target {
  name: string;
  pointer: string;
  selector: Selector;
  /** Rule prefix and pointer of the criteria (`match` / `target`). */
  criteria: { prefix: string; pointer: string };
  /** Rule prefix and pointer of the sources (`` / `target`). */
  sources: { prefix: string; pointer: string };
}

interface Ctx {
  repo: LoadedRepo;
  model: ResolvedModel;
  universe: Universe;
  facts: ServerFacts;
  rank: number;
}

const EXCLUDE_KEYS = ["servers", "labels", "environment", "region", "provider", "size"] as const;

export function explain(
  repo: LoadedRepo,
  model: ResolvedModel,
  server: string,
  kind: "group" | "alert",
  name: string,
): Explanation {
  const universe = universeFromModel(model);
  const rank = universe.rankOf.get(server);
  if (rank === undefined) {
    throw new NotFoundError("server", server, suggest(server, universe.rankOf.keys()));
  }
  const target = kind === "group" ? groupTarget(repo, name) : alertTarget(repo, name);
  const ctx: Ctx = { repo, model, universe, facts: universe.servers[rank]!, rank };
  return {
    server,
    kind,
    name,
    verdict: verdictOf(model, kind, name, server),
    pos: repo.sources.locate(target.pointer, kind === "group" ? { key: true } : {}),
    steps: stepsFor(ctx, target, new Set([`${kind}:${name}`]), false),
  };
}

function groupTarget(repo: LoadedRepo, name: string): Target {
  const groups = repo.config.groups ?? {};
  const spec = Object.hasOwn(groups, name) ? groups[name] : undefined;
  if (!spec) throw new NotFoundError("group", name, suggest(name, Object.keys(groups)));
  const pointer = `/groups/${escapeToken(name)}`;
  return {
    name,
    pointer,
    selector: groupSelector(spec),
    criteria: { prefix: "match.", pointer: `${pointer}/match` },
    sources: { prefix: "", pointer },
  };
}

function alertTarget(repo: LoadedRepo, name: string): Target {
  const alerts = repo.config.alerts ?? [];
  const index = alerts.findIndex((a) => a.name === name);
  if (index < 0) {
    throw new NotFoundError(
      "alert",
      name,
      suggest(
        name,
        alerts.map((a) => a.name),
      ),
    );
  }
  const pointer = `/alerts/${index}`;
  const target = { prefix: "target.", pointer: `${pointer}/target` };
  return {
    name,
    pointer,
    selector: alertSelector(alerts[index]!),
    criteria: target,
    sources: target,
  };
}

function verdictOf(
  model: ResolvedModel,
  kind: "group" | "alert",
  name: string,
  server: string,
): Verdict {
  const item =
    kind === "group"
      ? model.groups.find((g) => g.name === name)
      : model.alerts.find((a) => a.name === name);
  if (item?.members.some((m) => m.name === server)) return "member";
  if (item?.excluded.some((m) => m.name === server)) return "excluded";
  return "not-selected";
}

function stepsFor(
  ctx: Ctx,
  target: Target,
  visiting: ReadonlySet<string>,
  onlyMatched: boolean,
): ExplanationStep[] {
  const steps = [
    ...criteriaSteps(ctx, target),
    ...groupSteps(ctx, target.selector.groups, target.sources, "group", visiting),
    ...serverSteps(ctx, target),
    ...excludeSteps(ctx, target, visiting),
  ];
  return onlyMatched ? steps.filter((s) => s.matched) : steps;
}

function formatValues(value: unknown): string {
  return Array.isArray(value) ? `[${listOf(value).join(", ")}]` : listOf(value).join(", ");
}

function step(
  ctx: Ctx,
  fields: Omit<ExplanationStep, "pos" | "steps"> & { steps?: ExplanationStep[] },
): ExplanationStep {
  return { ...fields, pos: ctx.repo.sources.locate(fields.pointer), steps: fields.steps ?? [] };
}

/** `/…/labels/1` for the matching item of a list, `/…/labels` for a single value. */
function itemPointer(base: string, raw: unknown, value: string | undefined): string {
  if (value === undefined || !Array.isArray(raw)) return base;
  const i = raw.indexOf(value);
  return i < 0 ? base : `${base}/${i}`;
}

function factsText(facts: ServerFacts, key: CriterionKey): string {
  if (key === "labels") {
    return facts.labels.length
      ? `the server's labels are [${facts.labels.join(", ")}]`
      : "the server has no labels";
  }
  const [value] = valuesOf(facts, key);
  return value === undefined ? `the server has no ${key}` : `the server's ${key} is ${value}`;
}

function criteriaSteps(ctx: Ctx, target: Target): ExplanationStep[] {
  const { prefix, pointer } = target.criteria;
  return criteriaOf(target.selector).map(([key, values]) => {
    const raw = target.selector[key];
    const value = criterionMatch(ctx.facts, key, values);
    return step(ctx, {
      rule: `${prefix}${key}: ${formatValues(raw)}`,
      role: "criterion",
      matched: value !== undefined,
      detail: value !== undefined ? `via ${fromKindOf(key)} ${value}` : factsText(ctx.facts, key),
      pointer: itemPointer(`${pointer}/${key}`, raw, value),
    });
  });
}

function groupSteps(
  ctx: Ctx,
  raw: unknown,
  at: { prefix: string; pointer: string },
  role: "group" | "exclude",
  visiting: ReadonlySet<string>,
): ExplanationStep[] {
  return listOf(raw).map((group, i) => {
    const members = ctx.universe.groupMembers(group);
    const matched = members?.has(ctx.rank) ?? false;
    const verdict = verdictOf(ctx.model, "group", group, ctx.facts.name);
    const detail = matched
      ? `${role === "exclude" ? "member of" : "via"} group ${group}`
      : verdict === "excluded"
        ? `excluded from group ${group}`
        : `${members ? "not a member of" : "unknown"} group ${group}`;
    const nested = verdict !== "not-selected" && !visiting.has(`group:${group}`);
    const inner = new Set([...visiting, `group:${group}`]);
    return step(ctx, {
      rule: `${at.prefix}groups: ${formatValues(raw)}`,
      role,
      matched,
      detail,
      pointer: `${at.pointer}/groups/${i}`,
      steps: nested ? stepsFor(ctx, groupTarget(ctx.repo, group), inner, true) : [],
    });
  });
}

function serverSteps(ctx: Ctx, target: Target): ExplanationStep[] {
  const raw = target.selector.servers;
  const list = listOf(raw);
  if (list.length === 0) return [];
  const index = list.indexOf(ctx.facts.name);
  const base = `${target.sources.pointer}/servers`;
  return [
    step(ctx, {
      rule: `${target.sources.prefix}servers: ${formatValues(raw)}`,
      role: "server",
      matched: index >= 0,
      detail: index >= 0 ? "listed by name" : "not listed by name",
      pointer: index >= 0 ? `${base}/${index}` : base,
    }),
  ];
}

function excludeSteps(ctx: Ctx, target: Target, visiting: ReadonlySet<string>): ExplanationStep[] {
  const exclude = target.selector.exclude;
  if (!exclude) return [];
  const reasons = exclusionReasons(ctx.facts, ctx.rank, prepareExclude(ctx.universe, exclude));
  const base = `${target.pointer}/exclude`;
  const steps: ExplanationStep[] = [];
  for (const key of EXCLUDE_KEYS) {
    const raw = exclude[key];
    if (raw === undefined) continue;
    const hits = reasons.filter((r) => r.by === key).map((r) => r.value);
    steps.push(
      step(ctx, {
        rule: `exclude.${key}: ${formatValues(raw)}`,
        role: "exclude",
        matched: hits.length > 0,
        detail: hits.length
          ? `excluded by ${key === "servers" ? "name" : fromKindOf(key)} ${hits.join(", ")}`
          : key === "servers"
            ? "not listed by name"
            : factsText(ctx.facts, key),
        pointer: itemPointer(`${base}/${key}`, raw, hits[0]),
      }),
    );
  }
  const at = { prefix: "exclude.", pointer: base };
  return [...steps, ...groupSteps(ctx, exclude.groups, at, "exclude", visiting)];
}
