/** What `lab serve` keeps over kysely: webhook deliveries seen (pruned), pull request plans. */
import type { PullPlanRecord, ServeQueries } from "../../core/state-store.js";
import { checkDelivery, checkPull, isoTime } from "../../core/state-store-util.js";
import type { PullPlansTable } from "./schema.js";
import { num, parseJson, timeOrNull, type SqlContext } from "./sql-rows.js";

function pullRecord(r: PullPlansTable): PullPlanRecord {
  return {
    number: num(r.number),
    headSha: r.head_sha,
    baseSha: r.base_sha,
    mergeSha: r.merge_sha,
    summary: r.summary,
    plan: parseJson(r.plan),
    commentId: r.comment_id,
    commentHash: r.comment_hash,
    updatedAt: isoTime(num(r.updated_at)),
    closedAt: timeOrNull(r.closed_at),
  };
}

/** `keep`: how many delivery ids to keep, the newest by time seen. */
export function serveQueries({ db, clock, guard }: SqlContext, keep: number): ServeQueries {
  return {
    recordDelivery: (id, at, signal) =>
      guard(signal, async () => {
        checkDelivery(id);
        const inserted = await db
          .insertInto("lab_deliveries")
          .values({ id, seen_at: at ?? clock.now() })
          .onConflict((oc) => oc.column("id").doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!inserted) return false;
        // Everything older than the keep-th newest goes (ties may keep a few more).
        const cut = await db
          .selectFrom("lab_deliveries")
          .select("seen_at")
          .orderBy("seen_at", "desc")
          .limit(1)
          .offset(keep - 1)
          .executeTakeFirst();
        if (cut) await db.deleteFrom("lab_deliveries").where("seen_at", "<", cut.seen_at).execute();
        return true;
      }),
    recordPullPlan: (pr, rec, signal) =>
      guard(signal, async () => {
        checkPull(pr);
        const update = {
          head_sha: rec.headSha,
          base_sha: rec.baseSha,
          merge_sha: rec.mergeSha,
          summary: rec.summary,
          plan: JSON.stringify(rec.plan ?? null),
          comment_id: rec.commentId,
          comment_hash: rec.commentHash,
          updated_at: clock.now(),
          closed_at: null,
        };
        await db
          .insertInto("lab_pull_plans")
          .values({ number: pr, ...update })
          .onConflict((oc) => oc.column("number").doUpdateSet(update))
          .execute();
      }),
    pullPlan: (pr, signal) =>
      guard(signal, async () => {
        checkPull(pr);
        const row = await db
          .selectFrom("lab_pull_plans")
          .selectAll()
          .where("number", "=", pr)
          .executeTakeFirst();
        return row ? pullRecord(row) : null;
      }),
    openPulls: (signal) =>
      guard(signal, async () => {
        const rows = await db
          .selectFrom("lab_pull_plans")
          .select("number")
          .where("closed_at", "is", null)
          .orderBy("number")
          .execute();
        return rows.map((r) => num(r.number));
      }),
    forgetPull: (pr, signal) =>
      guard(signal, async () => {
        checkPull(pr);
        await db
          .updateTable("lab_pull_plans")
          .set({ closed_at: clock.now() })
          .where("number", "=", pr)
          .where("closed_at", "is", null)
          .execute();
      }),
    recordMerged: (pr, headSha, signal) =>
      guard(signal, async () => {
        checkPull(pr);
        const row = { head_sha: headSha, merged_at: clock.now() };
        await db
          .insertInto("lab_merged_pulls")
          .values({ number: pr, ...row })
          .onConflict((oc) => oc.column("number").doUpdateSet(row))
          .execute();
      }),
    mergedWaiting: (signal) =>
      guard(signal, async () => {
        const rows = await db
          .selectFrom("lab_merged_pulls")
          .selectAll()
          .orderBy("number")
          .execute();
        return rows.map((r) => ({
          number: num(r.number),
          headSha: r.head_sha,
          mergedAt: isoTime(num(r.merged_at)),
        }));
      }),
    mergeTold: (pr, signal) =>
      guard(signal, async () => {
        checkPull(pr);
        await db.deleteFrom("lab_merged_pulls").where("number", "=", pr).execute();
      }),
  };
}
