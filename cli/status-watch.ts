/**
 * `lab get servers --watch`, as `kubectl get -w` does it: the table once, then a line for each
 * server whose row changes (in the first table's columns), until SIGINT or SIGTERM.
 */
import type { ServerStatus } from "../reconciler/status/status-types.js";
import { eprintln, type CliContext } from "./context.js";
import { visibleLength, type Style } from "./printers/color.js";
import { cellList, cellValue, renderTable } from "./printers/table.js";
import { STATUS_HEADERS, statusCells } from "./status-columns.js";

/** A server as `lab get servers -o json` lists it (the fields a row shows). */
export interface WatchItem {
  name: string;
  provider: string;
  labels: string[];
  environment: string | null;
  region: string | null;
  size: string | null;
  groups: string[];
  address: string;
  classCount: number;
  alertCount: number;
  status: ServerStatus;
}

const HEADERS = ["name", "provider", "labels", "environment", "region", "size", ...STATUS_HEADERS];
const WIDE = ["groups", "address", "classes", "alerts"];

export function watchRow(item: WatchItem, wide: boolean, style: Style): string[] {
  const cells = [
    item.name,
    item.provider,
    cellList(item.labels),
    cellValue(item.environment),
    cellValue(item.region),
    cellValue(item.size),
    ...statusCells(item.status, style),
  ];
  if (!wide) return cells;
  return [
    ...cells,
    cellList(item.groups),
    item.address,
    String(item.classCount),
    String(item.alertCount),
  ];
}

/** One row in the first table's column widths (a longer cell pushes its line, as kubectl's do). */
function rowLine(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) =>
      i === cells.length - 1
        ? cell
        : cell + " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell))),
    )
    .join("   ")
    .trimEnd();
}

function widthsOf(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ""))));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), done()), { once: true });
  });
}

/** Prints the table of `fetch()`, then each changed row every `everyMs`, until interrupted. */
export async function watchItems(
  ctx: CliContext,
  fetch: () => Promise<WatchItem[]>,
  everyMs: number,
  wide: boolean,
): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const headers = wide ? [...HEADERS, ...WIDE] : HEADERS;
    const first = await fetch();
    const plain = (item: WatchItem) => watchRow(item, wide, ctx.out);
    const rows = first.map(plain);
    ctx.io.stdout.write(renderTable(headers, rows, ctx.out));
    const widths = widthsOf(headers, rows);
    const shown = new Map(first.map((item, i) => [item.name, rowLine(rows[i]!, widths)]));
    while (!stop.signal.aborted) {
      await sleep(everyMs, stop.signal);
      if (stop.signal.aborted) break;
      let items: WatchItem[];
      try {
        items = await fetch();
      } catch (err) {
        eprintln(
          ctx,
          `${ctx.err.yellow("warning:")} ${err instanceof Error ? err.message : String(err)}`,
        );
        continue;
      }
      for (const item of items) {
        const line = rowLine(plain(item), widths);
        if (shown.get(item.name) === line) continue;
        shown.set(item.name, line);
        ctx.io.stdout.write(line + "\n");
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
