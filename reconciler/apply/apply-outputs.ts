/**
 * Applying the rendered artifacts to the outputs (docs/apply.md). Per output, under a lease:
 * the files are written as one tree, verified, and the consumer told; what refuses puts the
 * previous files back. Every side effect is journaled in the state store before it happens and
 * marked done after, so a process killed at any point is followed by one that finishes the work
 * without doing any of it twice: files already in place are not rewritten, and a consumer that
 * already runs them (`loaded`) is not told again. A second apply of the same revision does
 * nothing at all.
 */
import { createHash } from "node:crypto";
import type { OutputFile, OutputTarget } from "../../core/output.js";
import type { Artifact } from "../../core/renderer.js";
import type { StateStore } from "../../core/state-store.js";
import { sortedRecord } from "../../core/state-store-util.js";

export type TargetStatus = "applied" | "unchanged" | "failed" | "busy";

export interface TargetResult {
  name: string;
  location: string;
  status: TargetStatus;
  /** Files added, changed, removed against what was there. */
  added: number;
  changed: number;
  removed: number;
  /** The consumer was told (reloaded) in this run. */
  notified: boolean;
  /** Work a killed run left unfinished was completed. */
  recovered: boolean;
  reason?: string;
  /** Something the user should know of an output that did not fail (e.g. stacks not deployed). */
  note?: string;
}

export interface ApplyOptions {
  store: StateStore;
  runId: number;
  revision: string;
  /** Who applies: the lease holder and the audit log's `who`. */
  holder: string;
  leaseMs?: number;
  signal?: AbortSignal;
  /** Whether a lease's holder is known to be gone (a killed process): its lease is taken over. */
  staleHolder?: (holder: string) => boolean;
  /** Called at each step (`write`, `written`, `verified`, `notify`, `notified`, `recorded`). */
  at?: (target: string, step: string) => void;
}

const LEASE_MS = 10 * 60_000;

/** The artifacts of one renderer, relative to its output's folder. */
export function filesFor(name: string, artifacts: readonly Artifact[]): OutputFile[] {
  const prefix = `${name}/`;
  return artifacts
    .filter((a) => a.path.startsWith(prefix))
    .map((a) => ({ path: a.path.slice(prefix.length), content: a.content, hash: a.hash }));
}

function hashesOf(files: readonly OutputFile[]): Record<string, string> {
  return sortedRecord(Object.fromEntries(files.map((f) => [f.path, f.hash])));
}

/** One id for a set of files: what the journal's keys name. */
export function setKey(hashes: Readonly<Record<string, string>>): string {
  const h = createHash("sha256");
  for (const path of Object.keys(hashes).sort()) h.update(`${path}\0${hashes[path]}\0`);
  return h.digest("hex");
}

function counts(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>) {
  let added = 0;
  let changed = 0;
  for (const [path, hash] of Object.entries(after)) {
    if (!(path in before)) added += 1;
    else if (before[path] !== hash) changed += 1;
  }
  const removed = Object.keys(before).filter((p) => !(p in after)).length;
  return { added, changed, removed };
}

export async function applyOutputs(
  targets: readonly OutputTarget[],
  artifacts: readonly Artifact[],
  options: ApplyOptions,
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const target of targets) {
    const { store, holder, signal } = options;
    if (!(await lease(target.name, options))) {
      const lease = await store.lease(target.name, signal);
      results.push({
        ...base(target, "busy"),
        reason: `another lab (${lease?.holder ?? "unknown"}) is applying it`,
      });
      continue;
    }
    try {
      results.push(await applyOne(target, filesFor(target.name, artifacts), options));
    } finally {
      await store.releaseLease(target.name, holder);
    }
  }
  return results;
}

/** Takes the target's lease; one whose holder is gone is released first. */
async function lease(target: string, options: ApplyOptions): Promise<boolean> {
  const { store, holder, signal } = options;
  const ttl = options.leaseMs ?? LEASE_MS;
  if (await store.acquireLease(target, holder, ttl, signal)) return true;
  const current = await store.lease(target, signal);
  if (!current || !options.staleHolder?.(current.holder)) return false;
  await store.releaseLease(target, current.holder, signal);
  return store.acquireLease(target, holder, ttl, signal);
}

function base(target: OutputTarget, status: TargetStatus): TargetResult {
  const { name, location } = target;
  return {
    name,
    location,
    status,
    added: 0,
    changed: 0,
    removed: 0,
    notified: false,
    recovered: false,
  };
}

/** Notify steps a killed run left unfinished for this target: done now, or obsolete. */
async function finishPending(
  target: OutputTarget,
  files: readonly OutputFile[],
  key: string,
  options: ApplyOptions,
): Promise<{ pending: boolean; settled: boolean; notified: boolean; reason?: string }> {
  const { store, signal } = options;
  const pending = (await store.pendingIntents(signal)).filter((e) => e.target === target.name);
  let open = false;
  for (const entry of pending) {
    // A step for another set of files is obsolete: this run writes and tells anew.
    if (entry.step === "notify" && entry.key.endsWith(`/${key}`)) open = true;
    else await store.journalDone(entry.target, entry.step, entry.key, signal);
  }
  if (!open) return { pending: pending.length > 0, settled: false, notified: false };
  const entry = pending.find((e) => e.step === "notify" && e.key.endsWith(`/${key}`))!;
  const result = await tell(target, files, options, entry.key, entry.intendedAt);
  return { pending: true, settled: true, ...result };
}

/**
 * Tells the consumer and marks the journal's step done. With `since` (finishing a killed run's
 * step), not when the consumer read the files after the step was journaled.
 */
async function tell(
  target: OutputTarget,
  files: readonly OutputFile[],
  options: ApplyOptions,
  journalKey: string,
  since: string | null,
): Promise<{ notified: boolean; reason?: string }> {
  const { store, signal } = options;
  if (!target.notify) {
    await store.journalDone(target.name, "notify", journalKey, signal);
    return { notified: false };
  }
  if (since !== null && (await target.loaded?.(files, since, signal)) === true) {
    await store.journalDone(target.name, "notify", journalKey, signal);
    return { notified: false };
  }
  options.at?.(target.name, "notify");
  const told = await target.notify(files, signal);
  options.at?.(target.name, "notified");
  await store.journalDone(target.name, "notify", journalKey, signal);
  return told.ok ? { notified: true } : { notified: true, reason: told.reason };
}

async function applyOne(
  target: OutputTarget,
  files: readonly OutputFile[],
  options: ApplyOptions,
): Promise<TargetResult> {
  const { store, revision, runId, signal } = options;
  const wanted = hashesOf(files);
  const key = setKey(wanted);
  const current = await target.current(signal);
  const recovery = await finishPending(target, files, key, options);
  const applied = await store.applied(target.name, signal);
  const inPlace = setKey(current) === key;
  if (recovery.reason)
    return { ...base(target, "failed"), recovered: true, reason: recovery.reason };
  if (inPlace && applied && setKey(applied.artifacts) === key && !recovery.pending) {
    if (applied.revision !== revision)
      await store.recordApplied(target.name, revision, wanted, signal);
    return base(target, "unchanged");
  }
  const changes = counts(current, wanted);
  const result = { ...base(target, "applied"), ...changes, recovered: recovery.pending };
  result.notified = recovery.notified;
  const journalKey = `${runId}/${key}`;
  await store.journalIntent(runId, target.name, "write", journalKey, signal);
  options.at?.(target.name, "write");
  const handle = await target.write(files, signal);
  options.at?.(target.name, "written");
  await store.journalDone(target.name, "write", journalKey, signal);
  const verified = target.verify ? await target.verify(signal) : { ok: true as const };
  options.at?.(target.name, "verified");
  if (!verified.ok) {
    await handle.restore(signal);
    return { ...result, status: "failed", reason: verified.reason };
  }
  if (!recovery.settled) {
    await store.journalIntent(runId, target.name, "notify", journalKey, signal);
    const told = await tell(target, files, options, journalKey, null);
    result.notified = told.notified;
    if (told.reason) {
      await handle.restore(signal);
      return { ...result, status: "failed", reason: told.reason };
    }
  }
  await handle.commit(signal);
  await store.recordApplied(target.name, revision, wanted, signal);
  options.at?.(target.name, "recorded");
  await store.audit(
    {
      who: options.holder,
      what: `apply ${target.name}`,
      revision,
      detail: { location: target.location, ...changes },
    },
    signal,
  );
  return result;
}
