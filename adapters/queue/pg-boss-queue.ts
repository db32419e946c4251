/**
 * The work queue in PostgreSQL for several replicas (docs/serve.md, "Queue"), on pg-boss 10: one
 * queue with the `stately` policy and the work key as singleton key, so per key at most one job
 * is created (waiting) and one active (running). A newer item replaces the waiting job's item, so
 * the newest wins. pg-boss's own fetch would stop at the oldest waiting job when its key runs
 * (the unique index refuses it, and every key behind it waits), so jobs are taken here, one at a
 * time, skipping keys that run anywhere. A running job's lease is renewed while it runs; a
 * replica killed mid-run stops renewing, pg-boss's maintenance fails the job after
 * `expireSeconds`, and another replica takes it again (up to `retryLimit` times).
 */
import PgBoss from "pg-boss";
import { LabError, UsageError } from "../../core/errors.js";
import { workKey, type WorkHandler, type WorkItem, type WorkQueue } from "../../core/loop.js";
import {
  checkConcurrency,
  report,
  stoppedError,
  type WorkErrorHandler,
} from "../../reconciler/loop/work-queue.js";
import { describeUrl, postgresReason } from "../state/postgres-open.js";
import { isUniqueViolation, queueStatements, type TakenJob } from "./pg-boss-sql.js";

export interface PgBossWorkQueueOptions {
  /** `postgres://…` */
  connectionString: string;
  /** Jobs this replica runs at once. */
  concurrency: number;
  /** A running job whose replica stopped renewing its lease this long ago is taken up again. */
  expireSeconds: number;
  /** pg-boss's schema (default `pgboss`). */
  schema?: string;
  /** The queue's name (default `lab_work`). */
  name?: string;
  /** Times a job is run again after its run failed, expired or was stopped (default 3). */
  retryLimit?: number;
  /** Seconds before such a job is run again (default 5). */
  retryDelaySeconds?: number;
  /** How often free slots look for jobs other replicas queued (default 2000 ms). */
  pollIntervalMs?: number;
  onError?: WorkErrorHandler;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** How often `idle()` looks at the database again. */
const IDLE_CHECK_MS = 100;

function checkOptions(options: PgBossWorkQueueOptions): void {
  checkConcurrency(options.concurrency);
  const expire = options.expireSeconds;
  if (!Number.isInteger(expire) || expire < 1) {
    throw new UsageError(
      `the work queue's expiry must be a whole number of seconds, at least 1, not ${expire}`,
    );
  }
  for (const [what, value] of [
    ["schema", options.schema],
    ["name", options.name],
  ] as const) {
    if (value !== undefined && !NAME.test(value)) {
      throw new UsageError(`the work queue's ${what} "${value}" must be letters, digits and _`);
    }
  }
}

function asItem(data: unknown): WorkItem {
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind === "branch" || kind === "pull") return data as WorkItem;
  throw new LabError("INTERNAL", "a job of the work queue carries no work item");
}

/** A running job of this replica. */
interface Run {
  controller: AbortController;
  done: Promise<void>;
  /** Set when another replica may have the job: its lease ran out. */
  lost: boolean;
}

export function pgBossWorkQueue(options: PgBossWorkQueueOptions): WorkQueue {
  checkOptions(options);
  const { concurrency, expireSeconds, onError } = options;
  const schema = options.schema ?? "pgboss";
  const name = options.name ?? "lab_work";
  const where = describeUrl(options.connectionString);
  const sql = queueStatements(schema);
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    application_name: "lab serve",
    max: concurrency + 2,
    schedule: false,
    supervise: true,
    // Maintenance fails expired jobs: often enough that one is taken up soon after it expires.
    maintenanceIntervalSeconds: Math.min(120, Math.max(1, Math.ceil(expireSeconds / 2))),
  });
  const runs = new Map<string, Run>();
  let opened: Promise<void> | undefined;
  let handler: WorkHandler | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let taking: Promise<void> | undefined;
  let takeAgain = false;

  function failure(what: string, err: unknown): LabError {
    if (err instanceof LabError) return err;
    return new LabError("STATE", `work queue database ${where}: ${what}: ${postgresReason(err)}`, {
      cause: err,
    });
  }

  async function exec<Row>(text: string, values: unknown[]): Promise<Row[]> {
    const result = await boss.getDb().executeSql(text, values);
    return result.rows as Row[];
  }

  function open(): Promise<void> {
    opened ??= (async () => {
      boss.on("error", (err) => report(onError, undefined, failure("pg-boss", err)));
      await boss.start();
      const settings = {
        name,
        policy: "stately" as const,
        retryLimit: options.retryLimit ?? 3,
        retryDelay: options.retryDelaySeconds ?? 5,
        expireInSeconds: expireSeconds,
      };
      await boss.createQueue(name, settings);
      let queue = await boss.getQueue(name);
      // pg-boss keeps a queue's settings from its creation: a replica started with another
      // expiry (LAB_QUEUE_EXPIRE_SECONDS changed) updates them, or its leases would be renewed
      // at a rate the queue's expiry does not match. Every replica should say the same.
      if (
        queue &&
        (queue.expireInSeconds !== expireSeconds || queue.retryLimit !== settings.retryLimit)
      ) {
        await boss.updateQueue(name, settings);
        queue = await boss.getQueue(name);
      }
      if (queue?.policy !== "stately") {
        throw new LabError(
          "STATE",
          `work queue database ${where}: the queue "${name}" exists with the policy "${queue?.policy}", not "stately"`,
        );
      }
    })().catch((err: unknown) => {
      opened = undefined;
      throw failure("open", err);
    });
    return opened;
  }

  /** Takes one job whose key runs nowhere, or nothing (none, or another replica took it). */
  async function takeOne(): Promise<TakenJob | undefined> {
    try {
      return (await exec<TakenJob>(sql.take, [name]))[0];
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  /** Fills the free slots, one job at a time. */
  async function fill(): Promise<void> {
    do {
      takeAgain = false;
      while (!stopped && handler && runs.size < concurrency) {
        const job = await takeOne();
        if (!job) break;
        launch(handler, job);
      }
    } while (takeAgain && !stopped);
  }

  /** Fills the free slots; when asked while filling, fills once more after. */
  function take(): Promise<void> {
    if (taking) {
      takeAgain = true;
      return taking;
    }
    taking = fill()
      .catch((err: unknown) => report(onError, undefined, failure("take a job", err)))
      .finally(() => (taking = undefined));
    return taking;
  }

  async function renew(job: TakenJob): Promise<boolean> {
    const rows = await exec<{ id: string }>(sql.renew, [name, job.id, job.retry_count]);
    return rows.length === 1;
  }

  async function depth(): Promise<number> {
    await open();
    try {
      return (await boss.getQueueSize(name)) ?? 0;
    } catch (err) {
      throw failure("count the waiting jobs", err);
    }
  }

  /** A stop while counting ends `idle()`; another failure is the caller's. */
  function orStopped(err: unknown): number {
    if (stopped) return 0;
    throw err;
  }

  function launch(work: WorkHandler, job: TakenJob): void {
    const controller = new AbortController();
    const run: Run = { controller, done: Promise.resolve(), lost: false };
    runs.set(job.id, run);
    if (stopped) controller.abort(new LabError("INTERNAL", "the work queue is stopping"));
    const beat = setInterval(
      () => {
        renew(job).then(
          (ours) => {
            if (ours || run.lost) return;
            run.lost = true;
            const err = new LabError("STATE", "a work item's lease ran out while it ran");
            controller.abort(err);
          },
          (err: unknown) => report(onError, undefined, failure("renew a lease", err)),
        );
      },
      Math.max(200, (expireSeconds * 1000) / 3),
    );
    run.done = execute(work, job, run).finally(() => {
      clearInterval(beat);
      runs.delete(job.id);
      void take();
    });
  }

  async function execute(work: WorkHandler, job: TakenJob, run: Run): Promise<void> {
    let item: WorkItem | undefined;
    let error: unknown;
    let ok = false;
    try {
      item = asItem(job.data);
      await work(item, run.controller.signal);
      ok = true;
    } catch (err) {
      error = err;
    }
    if (run.lost) {
      report(
        onError,
        item,
        new LabError("STATE", `${item ? workKey(item) : job.id}: the lease ran out`),
      );
      return;
    }
    try {
      if (ok) {
        await exec(sql.complete, [name, job.id, job.retry_count]);
        return;
      }
      // A run told to stop is not a failure: the job is put back for another replica.
      if (!run.controller.signal.aborted) report(onError, item, error);
      if (!(await renew(job))) return;
      const message = error instanceof Error ? error.message : String(error);
      await boss.fail(name, job.id, { message });
    } catch (err) {
      report(onError, item, failure("finish a job", err));
    }
  }

  return {
    async enqueue(item, signal) {
      if (stopped) throw stoppedError(item);
      await open();
      const key = workKey(item);
      let queued = false;
      try {
        // Another replica may take the waiting job, or queue one, between the two statements.
        for (let attempt = 0; attempt < 5 && !queued; attempt++) {
          signal?.throwIfAborted();
          queued = (await exec(sql.replace, [name, key, JSON.stringify(item)])).length > 0;
          queued ||= (await boss.send(name, item, { singletonKey: key })) !== null;
        }
      } catch (err) {
        if (signal?.aborted && err === signal.reason) throw err;
        throw failure(`queue ${key}`, err);
      }
      if (!queued) {
        throw new LabError(
          "STATE",
          `work queue database ${where}: ${key} was not queued after 5 tries`,
        );
      }
      void take();
    },
    async start(work) {
      if (stopped) throw new LabError("INTERNAL", "the work queue has stopped");
      if (handler) throw new LabError("INTERNAL", "the work queue has started");
      await open();
      handler = work;
      timer = setInterval(() => void take(), options.pollIntervalMs ?? 2000);
      void take();
    },
    depth,
    async idle() {
      for (;;) {
        if (runs.size === 0 && (stopped || (await depth().catch(orStopped)) === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, IDLE_CHECK_MS));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await taking;
      for (const run of runs.values()) {
        run.controller.abort(new LabError("INTERNAL", "the work queue is stopping"));
      }
      await Promise.allSettled([...runs.values()].map((run) => run.done));
      if (opened) {
        await opened.catch(() => undefined);
        await boss.stop({ graceful: true, wait: true });
      }
    },
  };
}
