/** The apply journal and the leases over kysely: the parts of the store that coordinate processes. */
import { sql } from "kysely";
import { LabError } from "../../core/errors.js";
import type { IntentState, JournalEntry, StateStore } from "../../core/state-store.js";
import { checkTtl, compareIntents, isoTime } from "../../core/state-store-util.js";
import { bigint, num, type SqlContext } from "./sql-rows.js";

type JournalQueries = Pick<StateStore, "journalIntent" | "journalDone" | "pendingIntents">;
type LeaseQueries = Pick<StateStore, "acquireLease" | "renewLease" | "releaseLease" | "lease">;

export function journalQueries({ db, clock, guard }: SqlContext): JournalQueries {
  return {
    journalIntent: (runId, target, step, key, signal) =>
      guard(signal, async (): Promise<IntentState> => {
        const inserted = await db
          .insertInto("lab_journal")
          .values({ target, step, key, run_id: runId, intended_at: clock.now(), done_at: null })
          .onConflict((oc) => oc.columns(["target", "step", "key"]).doNothing())
          .returning("target")
          .executeTakeFirst();
        if (inserted) return "new";
        const row = await db
          .selectFrom("lab_journal")
          .select("done_at")
          .where("target", "=", target)
          .where("step", "=", step)
          .where("key", "=", key)
          .executeTakeFirstOrThrow();
        return row.done_at === null ? "pending" : "done";
      }),
    journalDone: (target, step, key, signal) =>
      guard(signal, async () => {
        const result = await db
          .updateTable("lab_journal")
          .set({ done_at: sql<number>`coalesce(done_at, ${bigint(clock.now())})` })
          .where("target", "=", target)
          .where("step", "=", step)
          .where("key", "=", key)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) {
          throw new LabError("INTERNAL", `no intent ${JSON.stringify([target, step, key])}`);
        }
      }),
    pendingIntents: (signal) =>
      guard(signal, async () => {
        const rows = await db
          .selectFrom("lab_journal")
          .selectAll()
          .where("done_at", "is", null)
          .execute();
        return rows
          .map((r): JournalEntry => ({
            runId: num(r.run_id),
            target: r.target,
            step: r.step,
            key: r.key,
            intendedAt: isoTime(num(r.intended_at)),
            doneAt: null,
          }))
          .sort(compareIntents);
      }),
  };
}

export function leaseQueries({ db, guard, leaseNow }: SqlContext): LeaseQueries {
  const leaseUntil = (ttlMs: number) => sql<number>`${leaseNow()} + ${bigint(ttlMs)}`;
  return {
    acquireLease: (target, holder, ttlMs, signal) =>
      guard(signal, async () => {
        checkTtl(ttlMs);
        // One statement: the row is inserted, or taken over only when expired or already ours.
        const row = await db
          .insertInto("lab_leases")
          .values({ target, holder, expires_at: leaseUntil(ttlMs), acquired_at: leaseNow() })
          .onConflict((oc) =>
            oc
              .column("target")
              .doUpdateSet((eb) => ({
                holder: eb.ref("excluded.holder"),
                expires_at: eb.ref("excluded.expires_at"),
                acquired_at: eb.ref("excluded.acquired_at"),
              }))
              .where((eb) =>
                eb.or([
                  eb("lab_leases.expires_at", "<=", leaseNow()),
                  eb("lab_leases.holder", "=", holder),
                ]),
              ),
          )
          .returning("holder")
          .executeTakeFirst();
        return row !== undefined;
      }),
    renewLease: (target, holder, ttlMs, signal) =>
      guard(signal, async () => {
        checkTtl(ttlMs);
        const result = await db
          .updateTable("lab_leases")
          .set({ expires_at: leaseUntil(ttlMs) })
          .where("target", "=", target)
          .where("holder", "=", holder)
          .where("expires_at", ">", leaseNow())
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }),
    releaseLease: (target, holder, signal) =>
      guard(signal, async () => {
        await db
          .deleteFrom("lab_leases")
          .where("target", "=", target)
          .where("holder", "=", holder)
          .execute();
      }),
    lease: (target, signal) =>
      guard(signal, async () => {
        const row = await db
          .selectFrom("lab_leases")
          .select(["holder", "expires_at"])
          .where("target", "=", target)
          .where("expires_at", ">", leaseNow())
          .executeTakeFirst();
        return row ? { holder: row.holder, expiresAt: isoTime(num(row.expires_at)) } : null;
      }),
  };
}
