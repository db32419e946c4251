/**
 * The comment for a revision that has errors (docs/forge.md): not planned, and why — each
 * diagnostic with a link to its line. It replaces the plan comment (same marker), so a pull
 * request still has one comment from lab.
 */
import type { Diagnostic } from "../../core/diagnostics.js";
import { fitComment, MAX_COMMENT_LENGTH } from "./comment-fit.js";
import { count, plural, revision, text } from "./markdown.js";
import type { FileUrl } from "./plan-comment-parts.js";
import { previousPart, sourceLink } from "./plan-comment-parts.js";
import { PLAN_COMMENT_MARKER, trimNote, wholePlanText } from "./plan-comment.js";

export interface DiagnosticsCommentOptions {
  /** The revision that was checked: every link points into it. */
  head: string;
  fileUrl: FileUrl;
  /** The previous revision's summary line, kept folded at the bottom. */
  previousSummary?: string;
  maxLength?: number;
}

/** One line, for `previousSummary` of the next revision's comment. */
export function diagnosticsSummaryLine(head: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return `${revision(head).replace(/`/g, "")}: not planned, ${plural(errors, "error")}`;
}

function diagnosticLine(d: Diagnostic, head: string, fileUrl: FileUrl): string {
  const parts = [`- **${d.severity} ${d.code}**`];
  if (d.file) parts.push(sourceLink(d, head, fileUrl, true));
  if (d.pointer) parts.push(`\`${d.pointer.replace(/`/g, "'")}\``);
  parts.push(text(d.message));
  if (d.fix) parts.push(`— fix: ${text(d.fix)}`);
  return parts.join(" ");
}

export function diagnosticsComment(
  diagnostics: readonly Diagnostic[],
  options: DiagnosticsCommentOptions,
): string {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const warnings = diagnostics.filter((d) => d.severity !== "error");
  const head = [
    PLAN_COMMENT_MARKER,
    `### lab plan: not planned — ${plural(errors.length, "error")}`,
    "",
    `The head ${revision(options.head)} has errors, so nothing was planned: fix them and push ` +
      "again. `lab validate` lists the same.",
    "",
    `**Errors: ${count(errors.length)}** · **Warnings: ${count(warnings.length)}**`,
  ].join("\n");
  const line = (d: Diagnostic) => diagnosticLine(d, options.head, options.fileUrl);
  const whole = wholePlanText(`lab validate`, undefined);
  return fitComment({
    head,
    sections: [
      {
        heading: "### Errors",
        units: errors.map(line),
        noun: ["error", "errors"],
        keep: true,
        list: true,
      },
      {
        heading: "### Warnings",
        units: warnings.map(line),
        noun: ["warning", "warnings"],
        list: true,
      },
    ],
    tail: options.previousSummary === undefined ? [] : [previousPart(options.previousSummary)],
    note: (omissions) => trimNote(omissions, whole),
    maxLength: options.maxLength ?? MAX_COMMENT_LENGTH - 1,
  });
}
