/** kubectl-style tables: upper-case headers, columns aligned, three spaces between them. */
import { makeStyle, visibleLength, type Style } from "./color.js";

const GAP = "   ";

/** A cell shown for a missing value, as kubectl does. */
export const NONE = "<none>";

export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  style: Style = makeStyle(false),
): string {
  const widths = headers.map((h) => h.length);
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
      .join(GAP)
      .trimEnd();
  const head = line(headers.map((h) => h.toUpperCase()));
  const out = [style.bold(head), ...rows.map(line)];
  return out.join("\n") + "\n";
}

function pad(cell: string, width: number): string {
  return cell + " ".repeat(Math.max(0, width - visibleLength(cell)));
}

/** Comma-joined list, or `<none>` when empty. */
export function cellList(values: readonly string[]): string {
  return values.length ? values.join(",") : NONE;
}

export function cellValue(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? NONE : String(value);
}
