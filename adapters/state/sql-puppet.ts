/** Each Puppet node's last run over kysely: one row per node, the run itself as JSON. */
import type { PuppetRun } from "../../core/puppet-run.js";
import type { PuppetQueries, PuppetRunRecord } from "../../core/state-store.js";
import { checkNode, checkRun, puppetCopy, puppetRecord } from "../../core/state-store-util.js";
import type { PuppetRunsTable } from "./schema.js";
import { num, parseJson, type SqlContext } from "./sql-rows.js";

function puppetRow(r: Pick<PuppetRunsTable, "known" | "run">): PuppetRunRecord {
  return puppetRecord(parseJson(r.run) as PuppetRun, num(r.known) === 1);
}

export function puppetQueries({ db, guard }: SqlContext): PuppetQueries {
  return {
    recordPuppetRun: (run, known, signal) =>
      guard(signal, async () => {
        const { time, received } = checkRun(run);
        const row = {
          run_time: time,
          status: run.status,
          known: known ? 1 : 0,
          received_at: received,
          run: JSON.stringify(puppetCopy(run)),
        };
        // One statement: the newer run (or one of the same time) replaces the kept one.
        const written = await db
          .insertInto("lab_puppet_runs")
          .values({ node: run.node, ...row })
          .onConflict((oc) =>
            oc
              .column("node")
              .doUpdateSet(row)
              .where("lab_puppet_runs.run_time", "<=", row.run_time),
          )
          .returning("node")
          .executeTakeFirst();
        return written !== undefined;
      }),
    puppetRuns: (signal) =>
      guard(signal, async () => {
        const rows = await db
          .selectFrom("lab_puppet_runs")
          .select(["node", "known", "run"])
          .execute();
        // Sorted here, not by the database: PostgreSQL's collation would order names otherwise.
        return rows.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)).map(puppetRow);
      }),
    puppetRun: (node, signal) =>
      guard(signal, async () => {
        checkNode(node);
        const row = await db
          .selectFrom("lab_puppet_runs")
          .select(["known", "run"])
          .where("node", "=", node)
          .executeTakeFirst();
        return row ? puppetRow(row) : null;
      }),
  };
}
