/**
 * The all-providers comparison as text: what is compared, a box-drawing table with one column
 * per provider (a cell holds one line per size; the Puppet classes wrap over several lines,
 * none dropped), then why each unknown value is unknown and how the costs were made. Pure.
 */
import { formatBoxTable } from "./box-table.js";
import { describeShape } from "./compare-shapes.js";
import { COMPARED_PROVIDERS, PROVIDER_TITLES } from "./compare.js";
import type { ProviderColumn, ProviderComparison } from "./compare.js";

export const UNKNOWN = "—";

/**
 * The Puppet cell wraps to the width of the widest other cell, and at least this wide (a longer
 * class name keeps a line to itself).
 */
const MIN_CELL_WIDTH = 24;

/** Prose lines around the table are at most this wide. */
const TEXT_WIDTH = 100;

/**
 * `text` broken at spaces into lines of at most `width` code points (a longer word keeps a line
 * to itself); lines after the first start with `indent`.
 */
export function wrapWords(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ").filter(Boolean)) {
    const next = current ? `${current} ${word}` : (lines.length ? indent : "") + word;
    if (current && [...next].length > width) {
      lines.push(current);
      current = indent + word;
    } else {
      current = next;
    }
  }
  if (current) lines.push(current);
  return lines;
}

function money(value: number): string {
  return `$${value.toFixed(2)}`;
}

function sizeName(size: string | null): string {
  return size ?? "no size";
}

function computeCell(column: ProviderColumn): string {
  if (!column.compute.length) return UNKNOWN;
  return column.compute
    .map((l) => `${l.count}× ${l.shape ? describeShape(l.shape) : UNKNOWN} (${sizeName(l.size)})`)
    .join("\n");
}

function costCell(column: ProviderColumn): string {
  const lines = column.cost.lines.map((l) =>
    l.monthlyEach === null || l.monthly === null
      ? `${l.count}× ${UNKNOWN} (${sizeName(l.size)})`
      : `${l.count}× ${money(l.monthlyEach)} = ${money(l.monthly)} (${sizeName(l.size)})`,
  );
  const total = column.cost.total;
  lines.push(total === null ? `total ${UNKNOWN}` : `total ${money(total)}/mo`);
  return lines.join("\n");
}

function heading(c: ProviderComparison): string[] {
  if (c.hypothetical) return wrapWords(`Hypothetical: ${c.hypothetical.reason}`, TEXT_WIDTH, "  ");
  const n = c.servers.length;
  const names = c.servers.map((s) => s.name).join(", ");
  return wrapWords(`${n} server${n === 1 ? "" : "s"}: ${names}`, TEXT_WIDTH, "  ");
}

/** Why values are unknown: one line per reason, naming the providers it applies to. */
function notes(c: ProviderComparison): string[] {
  const byReason = new Map<string, string[]>();
  for (const p of COMPARED_PROVIDERS) {
    const column = c.providers[p];
    for (const line of [...column.compute, ...column.cost.lines]) {
      if (line.reason === null) continue;
      const titles = byReason.get(line.reason) ?? [];
      if (!titles.includes(PROVIDER_TITLES[p])) titles.push(PROVIDER_TITLES[p]);
      byReason.set(line.reason, titles);
    }
  }
  return [...byReason].map(([reason, titles]) => `${UNKNOWN} ${titles.join(", ")}: ${reason}`);
}

function widest(cells: readonly string[]): number {
  return Math.max(MIN_CELL_WIDTH, ...cells.flatMap((c) => c.split("\n").map((l) => [...l].length)));
}

/** The comparison as text: heading, table, unknowns, and the cost basis. Ends with a newline. */
export function formatComparison(c: ProviderComparison): string {
  const header = ["", ...COMPARED_PROVIDERS.map((p) => PROVIDER_TITLES[p])];
  const compute = COMPARED_PROVIDERS.map((p) => computeCell(c.providers[p]));
  const cost = COMPARED_PROVIDERS.map((p) => costCell(c.providers[p]));
  const width = widest([...compute, ...cost]);
  const classes = c.classes.length ? wrapWords(c.classes.join(", "), width).join("\n") : UNKNOWN;
  const rows = [
    ["Compute", ...compute],
    ["Puppet", ...COMPARED_PROVIDERS.map(() => classes)],
    ["Est. Cost", ...cost],
  ];
  const basis = `Costs: ${c.costBasis.prices}; ${c.costBasis.rounding}.`;
  return [
    ...heading(c),
    formatBoxTable(header, rows, { rowRules: true }).trimEnd(),
    ...notes(c),
    ...wrapWords(basis, TEXT_WIDTH),
    "",
  ].join("\n");
}
