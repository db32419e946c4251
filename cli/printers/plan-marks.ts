/** The marks and words plan printers share: `+` gained/added, `-` lost/removed, `~` changed. */
import type { From } from "../../core/model.js";
import type { SourcePos } from "../../core/diagnostics.js";
import type { Style } from "./color.js";

export type Mark = "+" | "-" | "~" | "!" | "=";

const ACTION_MARKS: Readonly<Record<string, Mark>> = {
  add: "+",
  gain: "+",
  remove: "-",
  lose: "-",
  change: "~",
  replace: "!",
  none: "=",
};

export function markOf(action: string): Mark {
  return ACTION_MARKS[action] ?? "~";
}

export function colorMark(mark: Mark, style: Style): string {
  if (mark === "+") return style.green(mark);
  if (mark === "-" || mark === "!") return style.red(mark);
  if (mark === "~") return style.yellow(mark);
  return mark;
}

export function posText(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** `label mailserver`, `group production`, `size: large` (an automatic rule by its name). */
export function fromText(from: readonly From[]): string {
  return from
    .map((f) => {
      const base = f.kind === "auto" ? f.name : `${f.kind} ${f.name}`;
      return f.via === undefined ? base : `${base} via ${f.via}`;
    })
    .join(", ");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A revision as shown: a 40- or 64-digit hex id shortened to 12. */
export function shortRevision(revision: string | null): string {
  if (revision === null) return "(applied)";
  return /^[0-9a-f]{40,64}$/.test(revision) ? revision.slice(0, 12) : revision;
}
