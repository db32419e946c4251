/**
 * The StateStore contract over kysely, shared by SQLite and PostgreSQL. Rows are normalized here
 * (pg returns bigint as strings), so both backends hand out the same shapes.
 */
import type { Kysely, RawBuilder, Transaction } from "kysely";
import { sql } from "kysely";
import { LabError } from "../../core/errors.js";
import {
  checkTtl,
  compareIntents,
  isoTime,
  sinceMs,
  sortedRecord,
  type Clock,
  type IntentState,
  type JournalEntry,
  type RunRecord,
  type RunResult,
  type StateStore,
} from "../../core/state-store.js";
import type { StateDatabase } from "./schema.js";

export interface SqlStoreOptions {
  db: Kysely<StateDatabase>;
  kind: "sqlite" | "postgres";
  clock: Clock;
  /** Where lease times come from: the clock, or the database's own `now()` (PostgreSQL). */
  leaseTime: "clock" | "database";
  /** Turns a driver error into a LabError naming the store. */
  describeError: (err: unknown) => LabError;
  /** Runs after the connection is closed (SQLite: stop the backup timer). */
  onClose?: () => void;
}

/** Rows per INSERT: well under SQLite's limit of bound parameters. */
const CHUNK = 500;

function num(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}

function numOrNull(value: number | string | null): number | null {
  return value === null ? null : num(value);
}

function timeOrNull(value: number | string | null): string | null {
  return value === null ? null : isoTime(num(value));
}

function parseJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** A bigint parameter both databases type the same way. */
function bigint(value: number): RawBuilder<number> {
  return sql<number>`cast(${value} as bigint)`;
}

export function createSqlStateStore(o: SqlStoreOptions): StateStore {
  const { db, clock } = o;
  let closed = false;
  async function guard<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (closed) throw new LabError("INTERNAL", "the state store is closed");
    signal?.throwIfAborted();
    try {
      return await work();
    } catch (err) {
      if (err instanceof LabError) throw err;
      throw o.describeError(err);
    }
  }
  const leaseNow = (): RawBuilder<number> =>
    o.leaseTime === "database"
      ? sql<number>`cast(extract(epoch from now()) * 1000 as bigint)`
      : bigint(clock.now());
  const leaseUntil = (ttlMs: number): RawBuilder<number> =>
    sql<number>`${leaseNow()} + ${bigint(ttlMs)}`;

  return {
    kind: o.kind,
    startRun: (start, signal) =>
      guard(signal, async () => {
        const row = await db
          .insertInto("lab_runs")
          .values({ revision: start.revision, trigger: start.trigger, started_at: clock.now() })
          .returning("id")
          .executeTakeFirstOrThrow();
        return num(row.id);
      }),
    finishRun: (runId, finish, signal) =>
      guard(signal, async () => {
        const result = await db
          .updateTable("lab_runs")
          .set({
            finished_at: clock.now(),
            result: finish.result,
            diagnostics: finish.diagnostics,
            error: finish.error ?? null,
          })
          .where("id", "=", runId)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) {
          throw new LabError("INTERNAL", `no run ${runId} in the state store`);
        }
      }),
    lastRuns: (limit, signal) =>
      guard(signal, async () => {
        const rows = await db
          .selectFrom("lab_runs")
          .selectAll()
          .orderBy("id", "desc")
          .limit(Math.max(0, limit))
          .execute();
        return rows.map((r): RunRecord => ({
          id: num(r.id),
          revision: r.revision,
          trigger: r.trigger,
          startedAt: isoTime(num(r.started_at)),
          finishedAt: timeOrNull(r.finished_at),
          result: r.result as RunResult | null,
          diagnostics: numOrNull(r.diagnostics),
          error: r.error,
        }));
      }),
    lastGoodRevision: (target, signal) =>
      guard(signal, async () => {
        if (target !== undefined) {
          const row = await db
            .selectFrom("lab_applied")
            .select("revision")
            .where("target", "=", target)
            .executeTakeFirst();
          return row?.revision ?? null;
        }
        const row = await db
          .selectFrom("lab_runs")
          .select("revision")
          .where("result", "in", ["ok", "no-change"])
          .orderBy("id", "desc")
          .limit(1)
          .executeTakeFirst();
        return row?.revision ?? null;
      }),
    applied: (target, signal) =>
      guard(signal, () =>
        db.transaction().execute(async (tx) => {
          const head = await tx
            .selectFrom("lab_applied")
            .selectAll()
            .where("target", "=", target)
            .executeTakeFirst();
          if (!head) return null;
          const rows = await tx
            .selectFrom("lab_applied_artifacts")
            .select(["path", "hash"])
            .where("target", "=", target)
            .execute();
          const artifacts: Record<string, string> = {};
          for (const r of rows) artifacts[r.path] = r.hash;
          return {
            revision: head.revision,
            artifacts: sortedRecord(artifacts),
            at: isoTime(num(head.applied_at)),
          };
        }),
      ),
    recordApplied: (target, revision, artifacts, signal) =>
      guard(signal, () =>
        db.transaction().execute((tx) => replaceApplied(tx, target, revision, artifacts, clock)),
      ),
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
    recordObserved: (provider, stack, state, signal) =>
      guard(signal, async () => {
        const row = {
          provider,
          stack,
          state: JSON.stringify(state ?? null),
          observed_at: clock.now(),
        };
        await db
          .insertInto("lab_observed")
          .values(row)
          .onConflict((oc) =>
            oc.columns(["provider", "stack"]).doUpdateSet({
              state: row.state,
              observed_at: row.observed_at,
            }),
          )
          .execute();
      }),
    observed: (provider, stack, signal) =>
      guard(signal, async () => {
        const row = await db
          .selectFrom("lab_observed")
          .select(["state", "observed_at"])
          .where("provider", "=", provider)
          .where("stack", "=", stack)
          .executeTakeFirst();
        return row ? { state: parseJson(row.state), at: isoTime(num(row.observed_at)) } : null;
      }),
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
    audit: (entry, signal) =>
      guard(signal, async () => {
        const row = await db
          .insertInto("lab_audit")
          .values({
            at: clock.now(),
            who: entry.who,
            what: entry.what,
            revision: entry.revision ?? null,
            detail: JSON.stringify(entry.detail ?? null),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return num(row.id);
      }),
    auditLog: (query = {}, signal) =>
      guard(signal, async () => {
        const since = sinceMs(query.since);
        let q = db.selectFrom("lab_audit").selectAll();
        if (Number.isFinite(since)) q = q.where("at", ">=", since);
        const rows = await q
          .orderBy("id", "desc")
          .limit(query.limit ?? 100)
          .execute();
        return rows.map((r) => ({
          id: num(r.id),
          at: isoTime(num(r.at)),
          who: r.who,
          what: r.what,
          revision: r.revision,
          detail: parseJson(r.detail),
        }));
      }),
    async close() {
      if (closed) return;
      closed = true;
      o.onClose?.();
      await db.destroy();
    },
  };
}

async function replaceApplied(
  tx: Transaction<StateDatabase>,
  target: string,
  revision: string,
  artifacts: Readonly<Record<string, string>>,
  clock: Clock,
): Promise<void> {
  const head = { target, revision, applied_at: clock.now() };
  await tx
    .insertInto("lab_applied")
    .values(head)
    .onConflict((oc) =>
      oc.column("target").doUpdateSet({ revision: head.revision, applied_at: head.applied_at }),
    )
    .execute();
  await tx.deleteFrom("lab_applied_artifacts").where("target", "=", target).execute();
  const rows = Object.keys(artifacts)
    .sort()
    .map((path) => ({ target, path, hash: artifacts[path]! }));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insertInto("lab_applied_artifacts")
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}
