/**
 * The HEALTH column of `lab get servers` over a one-file repo whose `lab.health` names a real
 * health source, for the suites that run one (Prometheus, nagios4): each server's health state
 * from `-o json` and its cell in the table.
 */
import { expect } from "vitest";
import { lab, tableRows, writeRepo } from "./cli-harness.js";

export interface HealthColumn {
  /** `[server, status.health.state]` from `-o json`. */
  json: string[][];
  /** `[server, HEALTH cell]` from the table. */
  cells: string[][];
}

/**
 * Reads the column, again every 500 ms (up to 20 s) while any server is unknown — a read that
 * a loaded machine made miss its bound — or until `done` holds.
 */
export async function healthColumn(
  repoText: string,
  done: (column: HealthColumn) => boolean = () => true,
): Promise<HealthColumn> {
  const root = writeRepo({ "lab.yaml": repoText });
  const env = { NO_COLOR: "1", HOME: root };
  let last: HealthColumn = { json: [], cells: [] };
  for (const end = Date.now() + 20_000; Date.now() < end;) {
    const r = await lab(["--repo", root, "get", "servers", "-o", "json"], { env });
    expect(r.stderr).toBe("");
    const { items } = JSON.parse(r.stdout) as {
      items: { name: string; status: { health: { state: string } } }[];
    };
    const json = items.map((i) => [i.name, i.status.health.state]);
    const rows = tableRows((await lab(["--repo", root, "get", "servers"], { env })).stdout);
    const at = rows[0]!.indexOf("HEALTH");
    last = { json, cells: rows.slice(1).map((row) => [row[0]!, row[at]!]) };
    if (!json.some(([, state]) => state === "unknown") && done(last)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}
