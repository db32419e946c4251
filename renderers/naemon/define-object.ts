/** Naemon/Nagios object definitions as text: one writer, so every file is laid out the same. */

/** A directive and its value; `undefined`/`null` values are left out. */
export type Directive = readonly [key: string, value: string | number | null | undefined];

const KEY_WIDTH = 30;

/** The first line of every rendered file. No timestamps, no positions: they would churn. */
export const FILE_HEADER =
  "# Managed by lab (naemon renderer). Do not edit: changes are overwritten.";

/** Anything configValue would change: most values have none of it. */
const NEEDS_CLEANING = /[;\\\t\n\v\f\r]|\s\s|^\s|\s$|[^\x20-\x7e]/;

/**
 * A value safe on one directive line: whitespace runs (newlines included) become one space,
 * trailing backslashes (a line continuation) are dropped and `;`, which starts a comment in
 * object files, is escaped as `\;`.
 */
export function configValue(value: string | number): string {
  const text = String(value);
  if (!NEEDS_CLEANING.test(text)) return text;
  return oneLine(text.replace(/\\+\s*$/, "")).replace(/;/g, "\\;");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** `define <type> {` … `}` with aligned directives in the order given. */
export function defineObject(type: string, directives: readonly Directive[]): string {
  const lines = [`define ${type} {`];
  for (const [key, value] of directives) {
    if (value === undefined || value === null) continue;
    const text = configValue(value);
    if (text === "") continue;
    lines.push(`  ${key.padEnd(Math.max(KEY_WIDTH, key.length + 1))}${text}`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** A whole file: the header, an optional comment line, then the objects separated by blank lines. */
export function objectFile(comment: string | null, objects: readonly string[]): string {
  const head = comment === null ? FILE_HEADER : `${FILE_HEADER}\n# ${oneLine(comment)}`;
  return [`${head}\n`, ...objects].join("\n");
}
