/** The state store in memory, for tests and dry runs: the whole contract, nothing kept after close. */
import { LabError } from "./errors.js";
import type {
  AppliedState,
  AuditEntry,
  Clock,
  JournalEntry,
  ObservedState,
  RunRecord,
  StateStore,
} from "./state-store.js";
import {
  checkTtl,
  compareIntents,
  isoTime,
  jsonCopy,
  KEEP_DELIVERIES,
  sinceMs,
  sortedRecord,
  SYSTEM_CLOCK,
} from "./state-store-util.js";
import { memoryServeQueries, settle, type ServeTables } from "./memory-serve-queries.js";

function journalId(target: string, step: string, key: string): string {
  return JSON.stringify([target, step, key]);
}

interface MemoryTables extends ServeTables {
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
    deliveries: new Map(),
    pulls: new Map(),
    merged: new Map(),
    puppet: new Map(),
  };
}

/** The store in memory, for tests and dry runs: the same contract, nothing kept after close. */
export function createMemoryStateStore(
  options: { clock?: Clock; keepDeliveries?: number } = {},
): StateStore {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const keep = options.keepDeliveries ?? KEEP_DELIVERIES;
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
    ...memoryServeQueries({ tables: t, ready, now, clock, keep }),
    close: () =>
      settle(() => {
        closed = true;
      }),
  };
}
