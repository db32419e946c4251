/**
 * The parts of a plan comment (docs/forge.md, "The comment"): the summary, one line per risk,
 * and the folded units — one per server that changes, per output, per drifted stack.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import type { From } from "../../core/model.js";
import type {
  Drift,
  Plan,
  PlannedOutput,
  PlannedServer,
  Risk,
  RiskKind,
  ServerChange,
} from "../plan/plan-types.js";
import { count, details, htmlText, link, plural, revision, text } from "./markdown.js";

/** The URL of a file at a revision, at a line (`…/blob/<sha>/<path>#L12`). */
export type FileUrl = (path: string, line: number, revision: string) => string;

/** Links a position of `rev`: `[labels/roles.yaml:5](…#L5)`. */
export function sourceLink(pos: SourcePos, rev: string, fileUrl: FileUrl, col = false): string {
  const label = col ? `${pos.file}:${pos.line}:${pos.col}` : `${pos.file}:${pos.line}`;
  return link(label, fileUrl(pos.file, pos.line, rev));
}

/** Risks whose source is in the base: what was there before and is gone. */
const BASE_SIDE_RISKS: ReadonlySet<RiskKind> = new Set([
  "destroy",
  "secret-lost",
  "alert-removed",
  "class-removed",
]);

/** One line, for `previousSummary` of the next revision's comment. */
export function planSummaryLine(plan: Plan): string {
  const { files, servers } = plan.summary;
  const serverText = plan.summary.serversCompared
    ? `servers ${servers.add} to add, ${servers.change} to change, ${servers.replace} to replace, ${servers.remove} to remove`
    : "servers not compared";
  return (
    `${revision(plan.head).replace(/`/g, "")}: ${serverText}; ` +
    `files ${files.add} to add, ${files.change} to change, ${files.remove} to remove; ` +
    `${plural(plan.summary.risks, "risk")}`
  );
}

export function summaryPart(plan: Plan): string {
  const { files, servers } = plan.summary;
  const title = plan.summary.changes ? "changes" : "no changes";
  const lines = [
    `### lab plan: ${title}`,
    "",
    `Base ${revision(plan.base)} → head ${revision(plan.head)}.`,
    "",
    "| | add | change | replace | remove | unchanged |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  if (plan.summary.serversCompared) {
    const s = servers;
    lines.push(
      `| **Servers** | ${count(s.add)} | ${count(s.change)} | ${count(s.replace)} | ${count(s.remove)} | ${count(s.unchanged)} |`,
    );
  } else {
    lines.push("| **Servers** | not compared: the applied state records files only | | | | |");
  }
  lines.push(
    `| **Files** | ${count(files.add)} | ${count(files.change)} | | ${count(files.remove)} | |`,
  );
  const drift = plan.summary.drift ? ` · **Drift: ${plural(plan.summary.drift, "resource")}**` : "";
  lines.push("", `**Risks: ${count(plan.summary.risks)}**${drift}`);
  return lines.join("\n");
}

export function riskLine(plan: Plan, r: Risk, fileUrl: FileUrl): string {
  const rev = BASE_SIDE_RISKS.has(r.kind) && plan.base !== null ? plan.base : plan.head;
  return `- **${r.kind}** ${text(r.message)} · ${sourceLink(r.source, rev, fileUrl)}`;
}

/** At most this many lines in one folded unit: one unit never takes the whole comment. */
export const UNIT_LINES = 100;

function capped(lines: readonly string[], noun: string, nouns: string): string[] {
  if (lines.length <= UNIT_LINES) return [...lines];
  const more = lines.length - UNIT_LINES;
  return [
    ...lines.slice(0, UNIT_LINES),
    `- _… and ${count(more)} more ${more === 1 ? noun : nouns}, not shown here._`,
  ];
}

const MARKS: Readonly<Record<string, string>> = {
  add: "`+`",
  gain: "`+`",
  remove: "`-`",
  lose: "`-`",
  change: "`~`",
  replace: "`!`",
};

function fromText(from: readonly From[]): string {
  return from
    .map((f) => {
      const base = f.kind === "auto" ? f.name : `${f.kind} ${f.name}`;
      return f.via === undefined ? base : `${base} via ${f.via}`;
    })
    .join(", ");
}

function changeLine(plan: Plan, c: ServerChange, fileUrl: FileUrl): string {
  const what =
    c.action === "change" && c.before !== undefined
      ? `${c.kind} ${c.before} → ${c.after ?? ""}`
      : `${c.kind} ${c.name}`;
  const from = c.from.length ? ` ← ${text(fromText(c.from))}` : "";
  const rev = c.action === "lose" && plan.base !== null ? plan.base : plan.head;
  return `- ${MARKS[c.action] ?? "`~`"} ${text(what)}${from} · ${sourceLink(c.source, rev, fileUrl)}`;
}

export function serverUnit(plan: Plan, s: PlannedServer, fileUrl: FileUrl): string {
  const rev = s.action === "remove" && plan.base !== null ? plan.base : plan.head;
  const summary = `<b>${htmlText(s.name)}</b>: ${s.action}, ${plural(s.changes.length, "change")}`;
  const body = [
    `Entry: ${sourceLink(s.source, rev, fileUrl)}`,
    "",
    ...capped(
      s.changes.map((c) => changeLine(plan, c, fileUrl)),
      "change",
      "changes",
    ),
  ];
  return details(summary, body.join("\n"));
}

/** The files that change, by path: the diffs stay out (docs/forge.md says why). */
export function outputUnit(o: PlannedOutput): string {
  const summary = `<b>${htmlText(o.name)}</b>: ${plural(o.files.length, "file")}`;
  const lines = o.files.map((f) => `- ${MARKS[f.action] ?? "`~`"} ${text(f.path)}`);
  return details(summary, capped(lines, "file", "files").join("\n"));
}

/** Drift grouped per provider and stack, in the plan's order. */
export function driftUnits(drift: readonly Drift[]): string[] {
  const stacks = new Map<string, Drift[]>();
  for (const d of drift) {
    const key = `${d.provider}/${d.stack}`;
    const list = stacks.get(key) ?? [];
    list.push(d);
    stacks.set(key, list);
  }
  return [...stacks].map(([stack, list]) => {
    const lines = list.map((d) => {
      const fields = d.fields.length ? ` (${d.fields.join(", ")})` : "";
      return `- **${d.kind}** ${text(`${d.type} ${d.urn}${fields}`)}`;
    });
    const summary = `<b>${htmlText(stack)}</b>: ${plural(list.length, "resource")}`;
    return details(summary, capped(lines, "resource", "resources").join("\n"));
  });
}

export function previousPart(previousSummary: string): string {
  const line =
    previousSummary.length > 1000 ? `${previousSummary.slice(0, 1000)}…` : previousSummary;
  return details("Previous revision", text(line));
}
