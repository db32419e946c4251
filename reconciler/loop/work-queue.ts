/**
 * The work queue in memory (docs/serve.md): one process, p-queue for the bound on concurrency.
 * Per key at most one item waits — a newer one replaces it, so a burst of pushes is one run over
 * the newest — and an item whose key is running waits for that run to end: one key never runs
 * twice at once. Different keys run side by side, at most `concurrency` of them.
 */
import PQueue from "p-queue";
import { LabError, UsageError } from "../../core/errors.js";
import { workKey, type WorkHandler, type WorkItem, type WorkQueue } from "../../core/loop.js";

/**
 * Told when a handler rejects (a bug or broken infrastructure); the queue goes on. `item` is
 * missing when the failure belongs to no item (the database of a shared queue, say).
 */
export type WorkErrorHandler = (item: WorkItem | undefined, err: unknown) => void;

export interface MemoryWorkQueueOptions {
  /** Items run at once, each of another key (an integer, at least 1). */
  concurrency: number;
  onError?: WorkErrorHandler;
}

/** Checks a concurrency a person configured: a positive integer. */
export function checkConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(
      `the work queue's concurrency must be a whole number of at least 1, not ${concurrency}`,
    );
  }
  return concurrency;
}

/** The error given to `enqueue` once the queue has stopped. */
export function stoppedError(item: WorkItem): LabError {
  return new LabError("INTERNAL", `the work queue has stopped: ${workKey(item)} was not queued`);
}

/** Tells `onError`; a reporter that throws does not stop the queue. */
export function report(
  onError: WorkErrorHandler | undefined,
  item: WorkItem | undefined,
  err: unknown,
): void {
  try {
    onError?.(item, err);
  } catch {
    // the reporter's own failure has nowhere else to go
  }
}

export function memoryWorkQueue(options: MemoryWorkQueueOptions): WorkQueue {
  const pool = new PQueue({ concurrency: checkConcurrency(options.concurrency) });
  /** The item waiting under each key, in the order the keys first came. */
  const waiting = new Map<string, WorkItem>();
  /** The keys running, with what stops each run. */
  const running = new Map<string, AbortController>();
  /** Keys handed to p-queue and not started yet (their item may still be replaced). */
  const scheduled = new Set<string>();
  const idleWaiters: (() => void)[] = [];
  let handler: WorkHandler | undefined;
  let stopped = false;

  function settleIdle(): void {
    if (waiting.size > 0 || running.size > 0 || idleWaiters.length === 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function run(key: string, work: WorkHandler): Promise<void> {
    scheduled.delete(key);
    const item = waiting.get(key);
    if (item === undefined || stopped) return;
    waiting.delete(key);
    const controller = new AbortController();
    running.set(key, controller);
    try {
      await work(item, controller.signal);
    } catch (err) {
      // A handler told to stop may end by rejecting: that is the stop, not a failure.
      if (!controller.signal.aborted) report(options.onError, item, err);
    } finally {
      running.delete(key);
      schedule(key);
      settleIdle();
    }
  }

  /** Hands `key` to p-queue when it has an item waiting and is neither running nor handed. */
  function schedule(key: string): void {
    const work = handler;
    if (!work || stopped || !waiting.has(key) || running.has(key) || scheduled.has(key)) return;
    scheduled.add(key);
    void pool.add(() => run(key, work));
  }

  return {
    enqueue(item, signal) {
      if (stopped) return Promise.reject(stoppedError(item));
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      const key = workKey(item);
      waiting.set(key, item);
      schedule(key);
      return Promise.resolve();
    },
    start(work) {
      if (stopped) return Promise.reject(new LabError("INTERNAL", "the work queue has stopped"));
      if (handler) return Promise.reject(new LabError("INTERNAL", "the work queue has started"));
      handler = work;
      for (const key of waiting.keys()) schedule(key);
      return Promise.resolve();
    },
    depth() {
      return Promise.resolve(waiting.size);
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
    async stop() {
      stopped = true;
      waiting.clear();
      for (const controller of running.values()) {
        controller.abort(new LabError("INTERNAL", "the work queue is stopping"));
      }
      // Tasks not started yet find the queue stopped and end at once.
      await pool.onIdle();
      settleIdle();
    },
  };
}
