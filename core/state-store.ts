/**
 * The state store contract: what lab applied, when, and who did what. Git stays the source of
 * truth; the store holds history (runs, audit log), the applied artifact hashes per output target,
 * provider state last observed, leases and the apply journal. Backends: "sqlite" (the default),
 * "postgres" (several replicas) and "memory" (tests and dry runs, below). Times are milliseconds
 * from a `Clock` in, ISO 8601 UTC strings out. docs/state-store.md describes the tables.
 */
import { LabError } from "./errors.js";

export const STATE_STORE_KINDS = ["sqlite", "postgres", "memory"] as const;
export type StateStoreKind = (typeof STATE_STORE_KINDS)[number];

export const RUN_RESULTS = ["ok", "no-change", "invalid", "failed"] as const;
export type RunResult = (typeof RUN_RESULTS)[number];

/** Where time comes from: milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

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
  close(): Promise<void>;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A positive whole number of milliseconds, or an INTERNAL error (a caller's bug). */
export function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new LabError("INTERNAL", `lease ttl must be a positive integer of ms, got ${ttlMs}`);
  }
}

/** `since` as milliseconds, or an INTERNAL error for a time that does not parse. */
export function sinceMs(since: string | undefined): number {
  if (since === undefined) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) throw new LabError("INTERNAL", `audit "since" is not a time: ${since}`);
  return ms;
}

export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}

/** JSON in, JSON out: the value as a store keeps it (no shared mutable objects). */
export function jsonCopy(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Oldest first, then by target, step and key: the order every backend lists pending intents. */
export function compareIntents(a: JournalEntry, b: JournalEntry): number {
  const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return (
    order(a.intendedAt, b.intendedAt) ||
    order(a.target, b.target) ||
    order(a.step, b.step) ||
    order(a.key, b.key)
  );
}

/** A synchronous piece of work as a promise: a throw becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

function journalId(target: string, step: string, key: string): string {
  return JSON.stringify([target, step, key]);
}

interface MemoryTables {
  runs: RunRecord[];
  applied: Map<string, AppliedState>;
  journal: Map<string, JournalEntry>;
  observed: Map<string, ObservedState>;
  leases: Map<string, { holder: string; expiresAt: number }>;
  audit: AuditEntry[];
}

function emptyTables(): MemoryTables {
  return {
    runs: [],
    applied: new Map(),
    journal: new Map(),
    observed: new Map(),
    leases: new Map(),
    audit: [],
  };
}

/** The store in memory, for tests and dry runs: the same contract, nothing kept after close. */
export function createMemoryStateStore(options: { clock?: Clock } = {}): StateStore {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const t = emptyTables();
  let closed = false;
  const ready = (signal: AbortSignal | undefined): void => {
    if (closed) throw new LabError("INTERNAL", "the state store is closed");
    signal?.throwIfAborted();
  };
  const now = (): string => isoTime(clock.now());
  const run = (id: number): RunRecord => {
    const found = t.runs[id - 1];
    if (!found) throw new LabError("INTERNAL", `no run ${id} in the state store`);
    return found;
  };
  const held = (target: string, holder: string): boolean => {
    const lease = t.leases.get(target);
    return lease !== undefined && lease.holder === holder && lease.expiresAt > clock.now();
  };
  return {
    kind: "memory",
    startRun: (start, signal) =>
      settle(() => {
        ready(signal);
        const id = t.runs.length + 1;
        t.runs.push({
          id,
          revision: start.revision,
          trigger: start.trigger,
          startedAt: now(),
          finishedAt: null,
          result: null,
          diagnostics: null,
          error: null,
        });
        return id;
      }),
    finishRun: (runId, finish, signal) =>
      settle(() => {
        ready(signal);
        const record = run(runId);
        Object.assign(record, {
          finishedAt: now(),
          result: finish.result,
          diagnostics: finish.diagnostics,
          error: finish.error ?? null,
        });
      }),
    lastRuns: (limit, signal) =>
      settle(() => {
        ready(signal);
        return t.runs
          .slice()
          .reverse()
          .slice(0, Math.max(0, limit))
          .map((r) => ({ ...r }));
      }),
    lastGoodRevision: (target, signal) =>
      settle(() => {
        ready(signal);
        if (target !== undefined) return t.applied.get(target)?.revision ?? null;
        const good = t.runs.findLast((r) => r.result === "ok" || r.result === "no-change");
        return good?.revision ?? null;
      }),
    applied: (target, signal) =>
      settle(() => {
        ready(signal);
        const found = t.applied.get(target);
        return found ? { ...found, artifacts: { ...found.artifacts } } : null;
      }),
    recordApplied: (target, revision, artifacts, signal) =>
      settle(() => {
        ready(signal);
        for (const [path, hash] of Object.entries(artifacts)) {
          if (typeof hash !== "string") throw new LabError("INTERNAL", `artifact ${path}: no hash`);
        }
        t.applied.set(target, { revision, artifacts: sortedRecord(artifacts), at: now() });
      }),
    journalIntent: (runId, target, step, key, signal) =>
      settle(() => {
        ready(signal);
        run(runId);
        const id = journalId(target, step, key);
        const found = t.journal.get(id);
        if (found) return found.doneAt === null ? "pending" : "done";
        t.journal.set(id, { runId, target, step, key, intendedAt: now(), doneAt: null });
        return "new";
      }),
    journalDone: (target, step, key, signal) =>
      settle(() => {
        ready(signal);
        const found = t.journal.get(journalId(target, step, key));
        if (!found) throw new LabError("INTERNAL", `no intent ${journalId(target, step, key)}`);
        found.doneAt ??= now();
      }),
    pendingIntents: (signal) =>
      settle(() => {
        ready(signal);
        return [...t.journal.values()]
          .filter((e) => e.doneAt === null)
          .sort(compareIntents)
          .map((e) => ({ ...e }));
      }),
    recordObserved: (provider, stack, state, signal) =>
      settle(() => {
        ready(signal);
        t.observed.set(JSON.stringify([provider, stack]), { state: jsonCopy(state), at: now() });
      }),
    observed: (provider, stack, signal) =>
      settle(() => {
        ready(signal);
        const found = t.observed.get(JSON.stringify([provider, stack]));
        return found ? { state: jsonCopy(found.state), at: found.at } : null;
      }),
    acquireLease: (target, holder, ttlMs, signal) =>
      settle(() => {
        ready(signal);
        checkTtl(ttlMs);
        const lease = t.leases.get(target);
        if (lease && lease.holder !== holder && lease.expiresAt > clock.now()) return false;
        t.leases.set(target, { holder, expiresAt: clock.now() + ttlMs });
        return true;
      }),
    renewLease: (target, holder, ttlMs, signal) =>
      settle(() => {
        ready(signal);
        checkTtl(ttlMs);
        if (!held(target, holder)) return false;
        t.leases.set(target, { holder, expiresAt: clock.now() + ttlMs });
        return true;
      }),
    releaseLease: (target, holder, signal) =>
      settle(() => {
        ready(signal);
        if (t.leases.get(target)?.holder === holder) t.leases.delete(target);
      }),
    lease: (target, signal) =>
      settle(() => {
        ready(signal);
        const lease = t.leases.get(target);
        if (!lease || lease.expiresAt <= clock.now()) return null;
        return { holder: lease.holder, expiresAt: isoTime(lease.expiresAt) };
      }),
    audit: (entry, signal) =>
      settle(() => {
        ready(signal);
        const id = t.audit.length + 1;
        const revision = entry.revision ?? null;
        t.audit.push({
          id,
          at: now(),
          who: entry.who,
          what: entry.what,
          revision,
          detail: jsonCopy(entry.detail),
        });
        return id;
      }),
    auditLog: (query = {}, signal) =>
      settle(() => {
        ready(signal);
        const since = sinceMs(query.since);
        return t.audit
          .filter((e) => Date.parse(e.at) >= since)
          .reverse()
          .slice(0, query.limit ?? 100)
          .map((e) => ({ ...e, detail: jsonCopy(e.detail) }));
      }),
    close: () =>
      settle(() => {
        closed = true;
      }),
  };
}
