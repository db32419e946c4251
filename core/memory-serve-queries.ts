/**
 * What the memory state store keeps for `lab serve` and the Puppet pillar: webhook deliveries
 * seen (the newest `keep`), pull request plans, merged pull requests waiting for their apply,
 * and each node's last Puppet run. Part of core/memory-state-store.ts, which owns the tables.
 */
import type {
  Clock,
  MergedPull,
  PullPlanRecord,
  PuppetRunRecord,
  PuppetQueries,
  ServeQueries,
} from "./state-store.js";
import {
  checkDelivery,
  checkNode,
  checkPull,
  checkRun,
  jsonCopy,
  puppetRecord,
} from "./state-store-util.js";

/** A synchronous piece of work as a promise: a throw becomes a rejection. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

export interface ServeTables {
  /** Delivery id → when it was seen (ms); a Map keeps insertion order, oldest first. */
  deliveries: Map<string, number>;
  pulls: Map<number, PullPlanRecord>;
  merged: Map<number, MergedPull>;
  puppet: Map<string, PuppetRunRecord>;
}

export interface ServeContext {
  tables: ServeTables;
  /** Throws when the store is closed or `signal` aborted. */
  ready: (signal: AbortSignal | undefined) => void;
  /** The clock's time, ISO 8601. */
  now: () => string;
  clock: Clock;
  /** How many delivery ids to keep. */
  keep: number;
}

function pullCopy(record: PullPlanRecord): PullPlanRecord {
  return { ...record, plan: jsonCopy(record.plan) };
}

export function memoryServeQueries({
  tables: t,
  ready,
  now,
  clock,
  keep,
}: ServeContext): ServeQueries & PuppetQueries {
  return {
    recordDelivery: (id, at, signal) =>
      settle(() => {
        ready(signal);
        checkDelivery(id);
        if (t.deliveries.has(id)) return false;
        t.deliveries.set(id, at ?? clock.now());
        while (t.deliveries.size > keep) {
          let oldest: [string, number] | undefined;
          for (const entry of t.deliveries) if (!oldest || entry[1] < oldest[1]) oldest = entry;
          t.deliveries.delete(oldest![0]);
        }
        return true;
      }),
    recordPullPlan: (pr, record, signal) =>
      settle(() => {
        ready(signal);
        checkPull(pr);
        const { headSha, baseSha, mergeSha, summary, plan, commentId, commentHash } = record;
        t.pulls.set(pr, {
          number: pr,
          ...{ headSha, baseSha, mergeSha, summary, plan: jsonCopy(plan), commentId, commentHash },
          updatedAt: now(),
          closedAt: null,
        });
      }),
    pullPlan: (pr, signal) =>
      settle(() => {
        ready(signal);
        checkPull(pr);
        const found = t.pulls.get(pr);
        return found ? pullCopy(found) : null;
      }),
    openPulls: (signal) =>
      settle(() => {
        ready(signal);
        return [...t.pulls.values()]
          .filter((p) => p.closedAt === null)
          .map((p) => p.number)
          .sort((a, b) => a - b);
      }),
    forgetPull: (pr, signal) =>
      settle(() => {
        ready(signal);
        checkPull(pr);
        const found = t.pulls.get(pr);
        if (found) found.closedAt ??= now();
      }),
    recordMerged: (pr, headSha, signal) =>
      settle(() => {
        ready(signal);
        checkPull(pr);
        t.merged.set(pr, { number: pr, headSha, mergedAt: now() });
      }),
    mergedWaiting: (signal) =>
      settle(() => {
        ready(signal);
        return [...t.merged.values()].sort((a, b) => a.number - b.number).map((m) => ({ ...m }));
      }),
    mergeTold: (pr, signal) =>
      settle(() => {
        ready(signal);
        checkPull(pr);
        t.merged.delete(pr);
      }),
    recordPuppetRun: (run, known, signal) =>
      settle(() => {
        ready(signal);
        const { time } = checkRun(run);
        const kept = t.puppet.get(run.node);
        if (kept && Date.parse(kept.time) > time) return false;
        t.puppet.set(run.node, puppetRecord(run, known));
        return true;
      }),
    puppetRuns: (signal) =>
      settle(() => {
        ready(signal);
        return [...t.puppet.keys()].sort().map((node) => {
          const r = t.puppet.get(node)!;
          return puppetRecord(r, r.known);
        });
      }),
    puppetRun: (node, signal) =>
      settle(() => {
        ready(signal);
        checkNode(node);
        const r = t.puppet.get(node);
        return r ? puppetRecord(r, r.known) : null;
      }),
  };
}
