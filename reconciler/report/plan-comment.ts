/**
 * The pull request's plan comment (docs/forge.md): GitHub-flavoured Markdown written from a Plan.
 * Pure: the links come from `options.fileUrl`, nothing reads a clock or the network. The plan
 * names secrets by path only, and nothing here adds a value: no file diff goes in the comment.
 */
import { createHash } from "node:crypto";
import type { Plan } from "../plan/plan-types.js";
import type { CommentSection, Omission } from "./comment-fit.js";
import { fitComment, MAX_COMMENT_LENGTH } from "./comment-fit.js";
import { count, link, plural } from "./markdown.js";
import type { FileUrl } from "./plan-comment-parts.js";
import { secretUnits } from "./plan-comment-secrets.js";
import {
  driftUnits,
  outputUnit,
  previousPart,
  riskLine,
  serverUnit,
  summaryPart,
} from "./plan-comment-parts.js";

export { MAX_COMMENT_LENGTH } from "./comment-fit.js";
export type { FileUrl } from "./plan-comment-parts.js";
export { planSummaryLine } from "./plan-comment-parts.js";

/** The first line of every comment lab writes on a pull request: how it finds its own. */
export const PLAN_COMMENT_MARKER = "<!-- lab:plan -->";

export interface PlanCommentOptions {
  /** The URL of `path` at `revision` (the plan's head, or its base for what was removed). */
  fileUrl: FileUrl;
  /** Where the whole plan can be read, when there is such a place (a CI log, an artifact). */
  planUrl?: string;
  /** The previous revision's summary line (`planSummaryLine`), kept folded at the bottom. */
  previousSummary?: string;
  /** At most this many characters (default: one under GitHub's limit of 65,536). */
  maxLength?: number;
  /**
   * Lines said apart under the summary, always kept (the base not applied yet, drift):
   * Markdown, written by the caller.
   */
  notes?: readonly string[];
}

/** `text` as a plan comment's body: the marker first (added when it is not there). */
export function markedBody(text: string): string {
  return text.startsWith(PLAN_COMMENT_MARKER) ? text : `${PLAN_COMMENT_MARKER}\n${text}`;
}

/** sha256 of the body's UTF-8 bytes, hex: an unchanged comment is not edited. */
export function commentHash(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

/** `lab plan --base <base> --head <head>`: where the whole plan is. */
export function wholePlanText(command: string, planUrl: string | undefined): string {
  const url = planUrl === undefined ? "" : ` or read ${link("the whole plan", planUrl)}`;
  return `run \`${command.replace(/`/g, "'")}\`${url}`;
}

function planCommand(plan: Plan): string {
  const base = plan.base === null ? "" : `--base ${plan.base} `;
  return `lab plan ${base}--head ${plan.head}`;
}

/** The note said when the comment is trimmed: what is left out and where the rest is. */
export function trimNote(omissions: readonly Omission[], whole: string): string {
  const what = omissions
    .map((o) => `${count(o.omitted)} of ${plural(o.total, o.noun[0], o.noun[1])}`)
    .join(", ");
  return (
    `> [!NOTE]\n> This comment is trimmed to fit GitHub's limit of ${count(MAX_COMMENT_LENGTH)} characters: ` +
    `${what || "some detail"} not shown. For everything, ${whole}.`
  );
}

function sections(plan: Plan, fileUrl: FileUrl): CommentSection[] {
  const servers = plan.servers.filter((s) => s.action !== "none");
  const outputs = plan.outputs.filter((o) => o.files.length > 0);
  const files = outputs.reduce((n, o) => n + o.files.length, 0);
  const secrets = secretUnits(plan, fileUrl);
  return [
    {
      heading: `### Secret access (${plural(secrets.length, "change")})`,
      units: secrets,
      noun: ["secret change", "secret changes"],
      keep: true,
      list: true,
    },
    {
      heading: "### Risks (most severe first)",
      units: plan.risks.map((r) => riskLine(plan, r, fileUrl)),
      noun: ["risk", "risks"],
      keep: true,
      list: true,
    },
    {
      heading: `### Servers (${count(servers.length)} with changes)`,
      units: servers.map((s) => serverUnit(plan, s, fileUrl)),
      noun: ["server", "servers"],
      weight: 3,
    },
    {
      heading: `### Outputs (${plural(files, "file")})`,
      units: outputs.map(outputUnit),
      noun: ["output", "outputs"],
      weight: 1,
    },
    {
      heading: `### Drift (${plural(plan.drift.length, "resource")})`,
      units: driftUnits(plan.drift),
      noun: ["stack", "stacks"],
      weight: 1,
    },
  ];
}

/** A note as a quoted paragraph of its own. */
function quoteNote(note: string): string {
  return `\n> ${note.replace(/\n/g, "\n> ")}`;
}

/**
 * The comment for a plan: marker, summary, risks, then each server that changes, each output
 * and each drifted stack folded; trimmed in the middle when it would pass GitHub's limit.
 */
export function planComment(plan: Plan, options: PlanCommentOptions): string {
  const whole = wholePlanText(planCommand(plan), options.planUrl);
  return fitComment({
    head: [PLAN_COMMENT_MARKER, summaryPart(plan), ...(options.notes ?? []).map(quoteNote)].join(
      "\n",
    ),
    sections: sections(plan, options.fileUrl),
    tail: options.previousSummary === undefined ? [] : [previousPart(options.previousSummary)],
    note: (omissions) => trimNote(omissions, whole),
    maxLength: options.maxLength ?? MAX_COMMENT_LENGTH - 1,
  });
}
