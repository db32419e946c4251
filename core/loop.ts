/**
 * The loop's contracts (docs/serve.md): the work `lab serve` does and the queue it waits in. Work
 * is named by a key — one branch, or one pull request — and a queue keeps at most one waiting
 * item per key: a newer item replaces the one waiting (a burst of ten pushes is one pass over the
 * newest revision), and an item whose key is running waits for it to end. A worker reads the
 * branch's or pull request's newest revision when it starts, so the item itself need not carry it.
 */

/** What asked for the work. */
export type WorkTrigger = "push" | "pull_request" | "poll" | "startup" | "base-moved";

/** Apply a branch (the default branch: plan and apply; another: nothing by default). */
export interface BranchWork {
  readonly kind: "branch";
  /** The branch's name (`main`), not the full ref. */
  readonly branch: string;
  /** The commit the trigger named (a push's `after`), when it named one. */
  readonly revision?: string;
  readonly trigger: WorkTrigger;
}

/** Plan a pull request (never apply it), or forget it when it is closed. */
export interface PullWork {
  readonly kind: "pull";
  readonly number: number;
  /** `closed` ends the pull request's work; the others plan its newest revision. */
  readonly action: "opened" | "synchronize" | "reopened" | "closed" | "refresh";
  /** The head commit the trigger named, when it named one. */
  readonly headSha?: string;
  /** The branch it would merge into, when the trigger named it. */
  readonly baseRef?: string;
  /** For `closed`: whether it was merged. */
  readonly merged?: boolean;
  readonly trigger: WorkTrigger;
}

export type WorkItem = BranchWork | PullWork;

/** The key work coalesces by: `branch:main`, `pull:7`. */
export function workKey(item: WorkItem): string {
  return item.kind === "branch" ? `branch:${item.branch}` : `pull:${item.number}`;
}

/** What a worker does with one item; rejects only for a bug or broken infrastructure. */
export type WorkHandler = (item: WorkItem, signal: AbortSignal) => Promise<void>;

export interface WorkQueue {
  /**
   * Queues `item` under its key: it replaces an item of the same key that is waiting; resolves
   * once it is queued (with PostgreSQL: once it is in the database), not when it has run.
   */
  enqueue(item: WorkItem, signal?: AbortSignal): Promise<void>;
  /** Starts taking items and running `handler` on them, at most `concurrency` at once. */
  start(handler: WorkHandler): Promise<void>;
  /** Items waiting (not running). */
  depth(signal?: AbortSignal): Promise<number>;
  /** Resolves when nothing waits and nothing runs (in this process). */
  idle(): Promise<void>;
  /**
   * Stops taking items; the running ones are told through their signal and awaited. With
   * PostgreSQL, an item this replica had not finished is taken up by another.
   */
  stop(): Promise<void>;
}
