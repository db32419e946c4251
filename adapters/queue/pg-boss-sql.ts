/**
 * The statements the PostgreSQL work queue runs on pg-boss 10's own job table, where pg-boss has
 * no call for them (docs/serve.md, "Queue"): replace the waiting job's item, take a job whose key
 * is not running, keep a running job's lease, complete a run only if it is still ours. A run is
 * named by its job id and its retry count: pg-boss puts an expired job back under the same id,
 * and taking it again counts one more retry, so a replica that lost its lease cannot complete
 * the run that replaced its own.
 */

/** The states before `active` (pg-boss's `job_state` enum is ordered). */
const WAITING = "state < 'active'";

export interface QueueStatements {
  /** $1 name, $2 key, $3 item: the waiting job of the key now carries the newer item. */
  replace: string;
  /** $1 name: takes the oldest waiting job whose key runs nowhere. */
  take: string;
  /** $1 name, $2 id, $3 retry count: the lease lasts `expire_in` more from now. */
  renew: string;
  /** $1 name, $2 id, $3 retry count. */
  complete: string;
}

/** Row of `take`. */
export interface TakenJob {
  id: string;
  data: unknown;
  retry_count: number;
}

export function queueStatements(schema: string): QueueStatements {
  const job = `${schema}.job`;
  return {
    replace: `
      UPDATE ${job} SET data = $3::jsonb
      WHERE name = $1 AND singleton_key = $2 AND ${WAITING}
      RETURNING id`,
    take: `
      WITH next AS (
        SELECT j.id FROM ${job} j
        WHERE j.name = $1 AND j.${WAITING} AND j.start_after < now()
          AND NOT EXISTS (
            SELECT 1 FROM ${job} a
            WHERE a.name = $1 AND a.state = 'active' AND a.singleton_key = j.singleton_key)
        ORDER BY j.priority DESC, j.created_on, j.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      UPDATE ${job} j SET
        state = 'active',
        started_on = now(),
        retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1 ELSE j.retry_count END
      FROM next
      WHERE j.name = $1 AND j.id = next.id
      RETURNING j.id, j.data, j.retry_count`,
    renew: `
      UPDATE ${job} SET started_on = now()
      WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3
      RETURNING id`,
    complete: `
      UPDATE ${job} SET state = 'completed', completed_on = now()
      WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3
      RETURNING id`,
  };
}

/** PostgreSQL's unique_violation: two replicas took jobs of one key at the same moment. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "23505";
}
