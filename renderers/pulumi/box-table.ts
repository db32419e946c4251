/** A box-drawing table (┌─┬─┐ │ ├─┼─┤ └─┴─┘) as a pure function, for terminal output. */

/** Display width: code points (the tables hold ASCII, `—` and `…`, one column each). */
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

/**
 * The header row, a rule, then the rows; every column as wide as its widest cell, one space of
 * padding on each side. Rows shorter than the header are padded with empty cells. Ends with a
 * newline.
 */
export function formatBoxTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(width(header[i] ?? ""), ...rows.map((r) => width(r[i] ?? ""))),
  );
  const out = [rule(widths, "┌", "┬", "┐"), line(header, widths), rule(widths, "├", "┼", "┤")];
  for (const row of rows) out.push(line(row, widths));
  out.push(rule(widths, "└", "┴", "┘"));
  return out.join("\n") + "\n";
}
