/** What every forge does the same with a commit status (docs/forge.md, "Statuses"). */

/** The contexts lab sets: one for the plan of a pull request, one for an apply of a commit. */
export const STATUS_CONTEXTS = { plan: "lab/plan", apply: "lab/apply" } as const;

/** GitHub refuses a status description longer than this many characters. */
export const STATUS_DESCRIPTION_LENGTH = 140;

/** One line, cut to 140 characters (code points, so no character is split) ending in "…". */
export function statusDescription(description: string): string {
  const chars = Array.from(description.replace(/\s+/g, " ").trim());
  if (chars.length <= STATUS_DESCRIPTION_LENGTH) return chars.join("");
  return `${chars.slice(0, STATUS_DESCRIPTION_LENGTH - 1).join("")}…`;
}
