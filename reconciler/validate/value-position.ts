/**
 * Where a character of a string value is in its YAML file. The source map gives the start of the
 * value (a plain scalar's first character, a quoted one's opening quote, a block scalar's `|` or
 * `>`) and of its key; from those and the parsed string:
 * - a one-line value on its key's line: the start's column plus the offset (plus one for the
 *   opening quote when the value starts with a character YAML cannot write plain);
 * - a value with line breaks after `|` on the key's line: the line below the indicator plus the
 *   value's line, the column of the key plus two (the indentation YAML formatters write) plus
 *   the column within the line.
 * Escapes in quoted strings and folded continuation lines are not counted back, so a column
 * there can be off; the diagnostics also quote the text at the position.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import type { CheckContext } from "./check-context.js";

/** Starts that force YAML to quote a scalar (indicators, quotes, flow characters). */
const QUOTED_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

export function positionInValue(
  ctx: CheckContext,
  pointer: string,
  value: string,
  offset: number,
): SourcePos {
  const start = ctx.repo.sources.locate(pointer);
  const key = ctx.repo.sources.locate(pointer, { key: true });
  const before = value.slice(0, Math.max(0, Math.min(offset, value.length)));
  if (!value.includes("\n")) {
    const quoted = QUOTED_START.test(value) ? 1 : 0;
    return { ...start, col: start.col + quoted + before.length };
  }
  const lines = before.split("\n");
  const line = lines.length - 1;
  const col = lines[line]!.length;
  if (start.line === key.line) {
    return { file: start.file, line: start.line + 1 + line, col: key.col + 2 + col };
  }
  return {
    file: start.file,
    line: start.line + line,
    col: (line === 0 ? start.col : key.col + 2) + col,
  };
}

/** A short excerpt of `value` from `offset`, on one line, for messages. */
export function excerpt(value: string, offset: number): string {
  const rest = value.slice(offset).replace(/\s+/g, " ").trim();
  return rest.length > 40 ? `${rest.slice(0, 40)}…` : rest;
}
