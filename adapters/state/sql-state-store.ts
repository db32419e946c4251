/**
 * The StateStore contract over kysely, shared by SQLite and PostgreSQL. Rows are normalized here
 * (pg returns bigint as strings), so both backends hand out the same shapes.
 */
import type { Kysely, RawBuilder, Transaction } from "kysely";
import { sql } from "kysely";
import { LabError } from "../../core/errors.js";
import type { Clock, RunRecord, RunResult, StateStore } from "../../core/state-store.js";
import { isoTime, KEEP_DELIVERIES, sinceMs, sortedRecord } from "../../core/state-store-util.js";
import type { StateDatabase } from "./schema.js";
import { journalQueries, leaseQueries } from "./sql-coordination.js";
import { puppetQueries } from "./sql-puppet.js";
import { serveQueries } from "./sql-serve.js";
import { bigint, num, numOrNull, parseJson, timeOrNull, type SqlContext } from "./sql-rows.js";

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
  /** How many webhook delivery ids to keep (default KEEP_DELIVERIES). */
  keepDeliveries?: number;
}

/** Rows per INSERT: well under SQLite's limit of bound parameters. */
const CHUNK = 500;

export function createSqlStateStore(o: SqlStoreOptions): StateStore {
  let closed = false;
  const ctx: SqlContext = {
    db: o.db,
    clock: o.clock,
    guard: async (signal, work) => {
      if (closed) throw new LabError("INTERNAL", "the state store is closed");
      signal?.throwIfAborted();
      try {
        return await work();
      } catch (err) {
        if (err instanceof LabError) throw err;
        throw o.describeError(err);
      }
    },
    leaseNow: (): RawBuilder<number> =>
      o.leaseTime === "database"
        ? sql<number>`cast(extract(epoch from now()) * 1000 as bigint)`
        : bigint(o.clock.now()),
  };
  return {
    kind: o.kind,
    ...runQueries(ctx),
    ...recordQueries(ctx),
    ...journalQueries(ctx),
    ...leaseQueries(ctx),
    ...auditQueries(ctx),
    ...serveQueries(ctx, o.keepDeliveries ?? KEEP_DELIVERIES),
    ...puppetQueries(ctx),
    async close() {
      if (closed) return;
      closed = true;
      o.onClose?.();
      await o.db.destroy();
    },
  };
}

type RunQueries = Pick<StateStore, "startRun" | "finishRun" | "lastRuns" | "lastGoodRevision">;
type RecordQueries = Pick<StateStore, "applied" | "recordApplied" | "recordObserved" | "observed">;

function runQueries({ db, clock, guard }: SqlContext): RunQueries {
  return {
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
  };
}

function recordQueries({ db, clock, guard }: SqlContext): RecordQueries {
  return {
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
  };
}

function auditQueries({ db, clock, guard }: SqlContext): Pick<StateStore, "audit" | "auditLog"> {
  return {
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
