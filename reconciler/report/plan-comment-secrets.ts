/**
 * The comment's first section: secret access granted and revoked per server, and secret values
 * changed, each place linked. Paths and places only: no value or ciphertext ever goes in.
 */
import type { Plan } from "../plan/plan-types.js";
import {
  accessGroups,
  accessParts,
  valueParts,
  type TextPart,
} from "../secrets/plan-secrets-text.js";
import { link, text } from "./markdown.js";
import type { FileUrl } from "./plan-comment-parts.js";

/** At most this many servers named in one line of the comment. */
const NAMES = 20;

function partsMarkdown(plan: Plan, parts: readonly TextPart[], fileUrl: FileUrl): string {
  return parts
    .map((p) => {
      if (!p.pos) return text(p.text);
      const rev = p.base && plan.base !== null ? plan.base : plan.head;
      return link(p.text, fileUrl(p.pos.file, p.pos.line, rev));
    })
    .join("");
}

/** One list item per access change (`+` gains, `-` loses), then per changed value (`~`). */
export function secretUnits(plan: Plan, fileUrl: FileUrl): string[] {
  const s = plan.secrets;
  if (!s) return [];
  return [
    ...accessGroups(s.access).map((g) => {
      const mark = g.change.action === "gain" ? "`+`" : "`-`";
      return `- ${mark} ${partsMarkdown(plan, accessParts(g, NAMES), fileUrl)}`;
    }),
    ...s.values.map((v) => `- \`~\` ${partsMarkdown(plan, valueParts(v), fileUrl)}`),
  ];
}
