/**
 * Fitting a comment under GitHub's limit (docs/forge.md, "Trimming"): the head (marker and
 * summary) and the tail are always kept; sections marked `keep` (the risks) are filled first;
 * the other sections (the per-unit details, the middle of the comment) share what is left by
 * weight. A section that does not fit whole keeps its first units and says how many follow.
 */
import { count } from "./markdown.js";

/** GitHub refuses a comment body longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

export interface CommentSection {
  /** The section's heading line. */
  heading: string;
  /** Blocks separated by a blank line (a folded unit), or lines of one list (`list`). */
  units: readonly string[];
  /** What the units are: `["server", "servers"]`. */
  noun: readonly [string, string];
  /** Filled before the others when the comment is too long. */
  keep?: boolean;
  /** Units are list items, one a line, rather than blocks. */
  list?: boolean;
  /** Share of the room left for the sections not kept (default 1). */
  weight?: number;
}

export interface Omission {
  noun: readonly [string, string];
  omitted: number;
  total: number;
}

export interface CommentLayout {
  /** First, always kept whole: the marker and the summary. */
  head: string;
  sections: readonly CommentSection[];
  /** Last, always kept whole (the previous revision). */
  tail: readonly string[];
  /** The note put after the head when something was left out. */
  note(omissions: readonly Omission[]): string;
  maxLength?: number;
}

/** Room kept for the note and the "… more" lines while choosing what fits. */
const NOTE_RESERVE = 800;

function separator(s: CommentSection): string {
  return s.list ? "\n" : "\n\n";
}

function moreLine(s: CommentSection, omitted: number): string {
  const [one, many] = s.noun;
  return `_… and ${count(omitted)} more ${omitted === 1 ? one : many}, not shown here._`;
}

function sectionText(s: CommentSection, kept: number): string {
  const units = s.units.slice(0, kept);
  let out = s.heading;
  if (units.length) out += `\n\n${units.join(separator(s))}`;
  if (kept < s.units.length) out += `\n\n${moreLine(s, s.units.length - kept)}`;
  return out;
}

/** How many of `s`'s first units fit in `room` characters (with the heading and the more line). */
function fitUnits(s: CommentSection, room: number): number {
  let used = s.heading.length + 2 + moreLine(s, s.units.length).length + 2;
  let kept = 0;
  for (const u of s.units) {
    const next = used + u.length + separator(s).length;
    if (next > room) break;
    used = next;
    kept += 1;
  }
  return kept;
}

function compose(layout: CommentLayout, kept: readonly number[], note: string | null): string {
  const blocks = [layout.head];
  if (note !== null) blocks.push(note);
  layout.sections.forEach((s, i) => {
    if (s.units.length) blocks.push(sectionText(s, kept[i]!));
  });
  blocks.push(...layout.tail);
  return `${blocks.join("\n\n")}\n`;
}

function omissions(layout: CommentLayout, kept: readonly number[]): Omission[] {
  return layout.sections
    .map((s, i) => ({ noun: s.noun, omitted: s.units.length - kept[i]!, total: s.units.length }))
    .filter((o) => o.omitted > 0);
}

/** Chooses how many units of each section to keep within `room` characters. */
function choose(layout: CommentLayout, room: number): number[] {
  const sections = layout.sections;
  const kept = sections.map(() => 0);
  // Every non-empty section keeps at least its heading and its "… more" line.
  let left = room;
  for (const s of sections) {
    if (s.units.length) left -= s.heading.length + moreLine(s, s.units.length).length + 6;
  }
  sections.forEach((s, i) => {
    if (!s.keep || !s.units.length) return;
    const base = s.heading.length + moreLine(s, s.units.length).length + 6;
    kept[i] = fitUnits(s, left + base);
    left -= sectionText(s, kept[i]).length - base + 2;
  });
  // Shares among the sections that have units: an empty one leaves its share to the others.
  const rest = sections.map((s, i) => i).filter((i) => !sections[i]!.keep);
  const filled = rest.filter((i) => sections[i]!.units.length > 0);
  let weights = filled.reduce((sum, i) => sum + (sections[i]!.weight ?? 1), 0);
  for (const i of filled) {
    const s = sections[i]!;
    const weight = s.weight ?? 1;
    const base = s.heading.length + moreLine(s, s.units.length).length + 6;
    const share = Math.floor((Math.max(left, 0) * weight) / weights);
    kept[i] = fitUnits(s, share + base);
    left -= sectionText(s, kept[i]).length - base + 2;
    weights -= weight;
  }
  // What a section left of its share goes to the first that can use it.
  for (const i of filled) {
    const s = sections[i]!;
    const now = sectionText(s, kept[i]!).length;
    const more = fitUnits(s, now + Math.max(left, 0));
    if (more > kept[i]!) {
      left -= sectionText(s, more).length - now;
      kept[i] = more;
    }
  }
  return kept;
}

/** The whole comment when it fits; else the head, a note, as much as fits, and the tail. */
export function fitComment(layout: CommentLayout): string {
  const max = layout.maxLength ?? MAX_COMMENT_LENGTH - 1;
  const all = layout.sections.map((s) => s.units.length);
  const whole = compose(layout, all, null);
  if (whole.length <= max) return whole;
  const fixed = compose(
    { ...layout, sections: [] },
    [],
    layout.note(
      omissions(
        layout,
        all.map(() => 0),
      ),
    ),
  );
  const kept = choose(layout, max - fixed.length - NOTE_RESERVE);
  let body = compose(layout, kept, layout.note(omissions(layout, kept)));
  // The estimate keeps a margin; should it still not fit, drop units from the end.
  for (let i = kept.length - 1; i >= 0 && body.length > max;) {
    if (kept[i]! > 0) kept[i]! -= 1;
    else i -= 1;
    body = compose(layout, kept, layout.note(omissions(layout, kept)));
  }
  return body;
}
