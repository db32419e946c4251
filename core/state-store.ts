/**
 * The state store contract: what lab applied, when, and who did what. Git stays the source of
 * truth; the store holds history (runs, audit log), the applied artifact hashes per output target,
 * provider state last observed, leases, the apply journal, and what `lab serve` keeps between
 * events (webhook deliveries seen, each pull request's plan and comment, each Puppet node's last run). Backends: "sqlite" (the default),
 * "postgres" (several replicas) and "memory" (tests and dry runs, core/memory-state-store.ts). Times are milliseconds
 * from a `Clock` in, ISO 8601 UTC strings out. docs/state-store.md describes the tables.
 */
import type { PuppetRun } from "./puppet-run.js";

export { createMemoryStateStore } from "./memory-state-store.js";
export { KEEP_DELIVERIES, SYSTEM_CLOCK } from "./state-store-util.js";

export const STATE_STORE_KINDS = ["sqlite", "postgres", "memory"] as const;
export type StateStoreKind = (typeof STATE_STORE_KINDS)[number];

export const RUN_RESULTS = ["ok", "no-change", "invalid", "failed"] as const;
export type RunResult = (typeof RUN_RESULTS)[number];

/** Where time comes from: milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

export interface RunStart {
  revision: string;
  /** What started the run: "poll", "webhook", "cli" … */
  trigger: string;
}

export interface RunFinish {
  result: RunResult;
  /** How many diagnostics the run reported. */
  diagnostics: number;
  error?: string;
}

export interface RunRecord {
  id: number;
  revision: string;
  trigger: string;
  startedAt: string;
  /** null while the run is going (or its process died). */
  finishedAt: string | null;
  result: RunResult | null;
  diagnostics: number | null;
  error: string | null;
}

export interface AppliedState {
  revision: string;
  /** Artifact path → sha256, keys sorted. */
  artifacts: Record<string, string>;
  at: string;
}

/**
 * What `journalIntent` found: "new" (nobody intended this yet: do it), "pending" (intended
 * before and never marked done: it may or may not have happened, so do it the idempotent way),
 * "done" (it happened: skip it).
 */
export type IntentState = "new" | "pending" | "done";

export interface JournalEntry {
  /** The run that first intended it. */
  runId: number;
  target: string;
  step: string;
  /** What makes the side effect unique, e.g. the hash of what it applies. */
  key: string;
  intendedAt: string;
  doneAt: string | null;
}

export interface ObservedState {
  state: unknown;
  at: string;
}

export interface LeaseRecord {
  holder: string;
  expiresAt: string;
}

export interface AuditInput {
  who: string;
  what: string;
  revision?: string;
  detail?: unknown;
}

export interface AuditEntry {
  id: number;
  at: string;
  who: string;
  what: string;
  revision: string | null;
  detail: unknown;
}

export interface AuditQuery {
  /** ISO 8601 time: entries at or after it. */
  since?: string;
  /** Newest first, at most this many (default 100). */
  limit?: number;
}

/** What `lab serve` last planned for a pull request. */
export interface PullPlanInput {
  /** The head commit planned. */
  headSha: string;
  /** The base branch's commit it was merged onto. */
  baseSha: string;
  /** What the merged tree was (a commit id or `merge:<base>..<head>`); null when it conflicted. */
  mergeSha: string | null;
  /** The one-line summary (the status text, and the next comment's "previous"). */
  summary: string;
  /** The plan as JSON; null when there is none (a conflict, errors). */
  plan: unknown;
  /** The forge's id of the plan comment, when one was written. */
  commentId: string | null;
  /** The hash of the comment's body as written (edit only when it changes). */
  commentHash: string | null;
}

export interface PullPlanRecord extends PullPlanInput {
  number: number;
  updatedAt: string;
  /** When the pull request was closed (`forgetPull`); null while it is open. */
  closedAt: string | null;
}

/** The part of the store `lab serve` keeps between events (each backend implements it apart). */
export type ServeQueries = Pick<
  StateStore,
  | "recordDelivery"
  | "recordPullPlan"
  | "pullPlan"
  | "openPulls"
  | "forgetPull"
  | "recordMerged"
  | "mergedWaiting"
  | "mergeTold"
>;

/** The Puppet runs' part of the store. */
export type PuppetQueries = Pick<StateStore, "recordPuppetRun" | "puppetRuns" | "puppetRun">;

/** A merged pull request waiting for the result of the apply that brings its change. */
export interface MergedPull {
  number: number;
  /** The head commit that was merged. */
  headSha: string;
  /** When the merge was recorded (`recordMerged`). */
  mergedAt: string;
}

/** A node's last Puppet run as the store keeps it, and whether the node is one of lab's servers. */
export interface PuppetRunRecord extends PuppetRun {
  /** True when the node was a server of the applied revision when the report came. */
  known: boolean;
}

/** Every method that does IO takes an optional AbortSignal, checked before the work starts. */
export interface StateStore {
  readonly kind: StateStoreKind;
  startRun(run: RunStart, signal?: AbortSignal): Promise<number>;
  finishRun(runId: number, finish: RunFinish, signal?: AbortSignal): Promise<void>;
  /** Newest first. */
  lastRuns(limit: number, signal?: AbortSignal): Promise<RunRecord[]>;
  /** The target's applied revision; without a target, the newest run that ended ok/no-change. */
  lastGoodRevision(target?: string, signal?: AbortSignal): Promise<string | null>;
  applied(target: string, signal?: AbortSignal): Promise<AppliedState | null>;
  /** Replaces the target's whole artifact set in one transaction. */
  recordApplied(
    target: string,
    revision: string,
    artifacts: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Records the intent before a side effect; idempotent; says what was found (IntentState). */
  journalIntent(
    runId: number,
    target: string,
    step: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<IntentState>;
  /** Marks the intent done after the side effect; idempotent (the first time done stays). */
  journalDone(target: string, step: string, key: string, signal?: AbortSignal): Promise<void>;
  /** Intents never marked done, oldest first: what a killed process left half-done. */
  pendingIntents(signal?: AbortSignal): Promise<JournalEntry[]>;
  recordObserved(
    provider: string,
    stack: string,
    state: unknown,
    signal?: AbortSignal,
  ): Promise<void>;
  observed(provider: string, stack: string, signal?: AbortSignal): Promise<ObservedState | null>;
  /** True when `holder` now holds the lease: it was free, expired, or already `holder`'s. */
  acquireLease(
    target: string,
    holder: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean>;
  /** True when `holder` still held an unexpired lease and it now runs `ttlMs` from now. */
  renewLease(target: string, holder: string, ttlMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Gives the lease up if `holder` holds it; otherwise nothing happens. */
  releaseLease(target: string, holder: string, signal?: AbortSignal): Promise<void>;
  /** The unexpired lease on `target`, or null. */
  lease(target: string, signal?: AbortSignal): Promise<LeaseRecord | null>;
  /** Appends to the audit log; there is no way to change or delete an entry. */
  audit(entry: AuditInput, signal?: AbortSignal): Promise<number>;
  auditLog(query?: AuditQuery, signal?: AbortSignal): Promise<AuditEntry[]>;
  /**
   * True when the webhook delivery `id` is new (recorded now, at `at` ms, default the clock),
   * false when it was seen before: a replay. The newest KEEP_DELIVERIES ids are kept.
   */
  recordDelivery(id: string, at?: number, signal?: AbortSignal): Promise<boolean>;
  /** Keeps what was planned for pull request `pr` (replacing the last); reopens a closed one. */
  recordPullPlan(pr: number, record: PullPlanInput, signal?: AbortSignal): Promise<void>;
  /** What was last planned for `pr`, open or closed, or null. */
  pullPlan(pr: number, signal?: AbortSignal): Promise<PullPlanRecord | null>;
  /** The pull requests with a plan that are not closed, by number. */
  openPulls(signal?: AbortSignal): Promise<number[]>;
  /** Marks `pr` closed: its record stays (pullPlan), openPulls no longer lists it. */
  forgetPull(pr: number, signal?: AbortSignal): Promise<void>;
  /**
   * Keeps that `pr` was merged at `headSha`, until `mergeTold`: the apply that follows tells it
   * the result, whichever replica runs that apply, after any restart. A second merge record of
   * the same pull request replaces the first.
   */
  recordMerged(pr: number, headSha: string, signal?: AbortSignal): Promise<void>;
  /** The merged pull requests not told yet, by number. */
  mergedWaiting(signal?: AbortSignal): Promise<MergedPull[]>;
  /** `pr` was told the result: it no longer waits. */
  mergeTold(pr: number, signal?: AbortSignal): Promise<void>;
  /**
   * Keeps `run` as its node's last Puppet run, with `known` (one row per node). A run older than
   * the one kept (by the report's time) is not kept: false; otherwise true.
   */
  recordPuppetRun(run: PuppetRun, known: boolean, signal?: AbortSignal): Promise<boolean>;
  /** Every node's last Puppet run, by node. */
  puppetRuns(signal?: AbortSignal): Promise<PuppetRunRecord[]>;
  /** The node's last Puppet run, or null. */
  puppetRun(node: string, signal?: AbortSignal): Promise<PuppetRunRecord | null>;
  close(): Promise<void>;
}
