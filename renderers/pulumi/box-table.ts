/** A box-drawing table (┌─┬─┐ │ ├─┼─┤ └─┴─┘) as a pure function, for terminal output. */

/** Display width: code points (the tables hold ASCII, `—`, `×`, `≥` and `…`, one column each). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number): string {
  return text + " ".repeat(Math.max(0, to - width(text)));
}

function rule(widths: readonly number[], left: string, mid: string, right: string): string {
  return left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right;
}

function line(cells: readonly string[], widths: readonly number[]): string {
  return "│" + widths.map((w, i) => ` ${pad(cells[i] ?? "", w)} `).join("│") + "│";
}

/** The text lines of a row whose cells may hold several lines (`\n`): one per line of its tallest cell. */
function rowLines(cells: readonly string[], widths: readonly number[]): string[] {
  const split = cells.map((c) => c.split("\n"));
  const height = Math.max(1, ...split.map((s) => s.length));
  return Array.from({ length: height }, (_, i) =>
    line(
      split.map((s) => s[i] ?? ""),
      widths,
    ),
  );
}

export interface BoxTableOptions {
  /** A rule between body rows, so rows of several lines stay apart. */
  rowRules?: boolean;
}

/**
 * The header row, a rule, then the rows; every column as wide as its widest cell line, one space
 * of padding on each side. A cell may hold several lines (`\n`); a row is as tall as its tallest
 * cell. Rows shorter than the header are padded with empty cells. Ends with a newline.
 */
export function formatBoxTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: BoxTableOptions = {},
): string {
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  const all = [header, ...rows];
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(0, ...all.flatMap((r) => (r[i] ?? "").split("\n").map(width))),
  );
  const out = [rule(widths, "┌", "┬", "┐"), ...rowLines(header, widths)];
  out.push(rule(widths, "├", "┼", "┤"));
  rows.forEach((row, i) => {
    if (i > 0 && options.rowRules) out.push(rule(widths, "├", "┼", "┤"));
    for (const text of rowLines(row, widths)) out.push(text);
  });
  out.push(rule(widths, "└", "┴", "┘"));
  return out.join("\n") + "\n";
}
