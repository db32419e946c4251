/**
 * Gathering the facts the four pillars are composed from (docs/status.md, "Status"): the state
 * store (applied state per output, runs, the providers' baseline, Puppet runs) and every health
 * source, read in parallel, each bounded by its own timeout and all by one budget, so that a source
 * that is down costs at most the budget and shows as unknown with the reason.
 */
import type { HealthSnapshot, HealthSource } from "../core/health-source.js";
import type { ResolvedServer } from "../core/model.js";
import type { IdentityStatus, PuppetRun } from "../core/puppet-run.js";
import type { RunRecord, StateStore } from "../core/state-store.js";
import { ioReason } from "../core/io-reason.js";
import type { ObservedStack } from "../reconciler/plan/plan-types.js";
import { planDrift } from "../reconciler/plan/plan-drift.js";
import type { StatusFacts } from "../reconciler/status/compose-status.js";
import type { SyncFacts } from "../reconciler/status/sync-status.js";
import type { ConfiguredSources } from "./status-sources.js";

/** What a whole gathering may take when a source does not answer: `lab get servers` stays fast. */
export const STATUS_BUDGET_MS = 800;

/** When a command run from a shell should have its status: ms after the process started. */
const LOCAL_ANSWER_MS = 900;
/** The least a source is given, however late the status is asked for. */
const STATUS_MIN_BUDGET_MS = 400;

/**
 * The health sources' budget of a command run from a shell: what is left of
 * LOCAL_ANSWER_MS since the process started (node's start and the repo's load come first), at
 * least STATUS_MIN_BUDGET_MS, at most STATUS_BUDGET_MS. A source that does not answer then costs
 * the command no more than about a second in all.
 */
export function localBudgetMs(elapsedMs: number): number {
  return Math.round(
    Math.min(STATUS_BUDGET_MS, Math.max(STATUS_MIN_BUDGET_MS, LOCAL_ANSWER_MS - elapsedMs)),
  );
}

/** The state store's Puppet runs, once the store keeps them (a store without them has none). */
interface PuppetRunReader {
  puppetRuns(signal?: AbortSignal): Promise<(PuppetRun & { known: boolean })[]>;
}

export interface GatherInput {
  /** The servers asked about (names and addresses, to match Puppet's certnames). */
  servers: readonly Pick<ResolvedServer, "name" | "address">[];
  /** null: no state store. */
  store: StateStore | null;
  /** The enabled output targets' names. */
  outputs: readonly string[];
  /** The configured health sources with their timeouts; none configured: null. */
  sources: ConfiguredSources | null;
  /** Snapshots read before (lab serve keeps them); when given, the sources are not read. */
  snapshots?: readonly HealthSnapshot[] | null;
  /** The revision servers are compared with (lab serve's applied one); default the newest run's. */
  head?: string | null;
  /** What the providers report now (Pulumi's checkpoints), for drift; absent: no drift known. */
  observe?: (signal: AbortSignal) => Promise<ObservedStack[]>;
  /** A Puppet CA directory (LAB_PUPPET_CA_DIR): each server's certificate expiry is read there. */
  caDir?: string | null;
  /** Bound on the whole gathering (default STATUS_BUDGET_MS). */
  budgetMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * One read of `source`, never longer than `ms` and never throwing: a source that fails or does
 * not answer in time is a snapshot with `ok: false` and the reason.
 */
export async function readBounded(
  source: HealthSource,
  servers: readonly string[],
  ms: number,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<HealthSnapshot> {
  const failed = (reason: string): HealthSnapshot => ({
    source: source.name,
    ok: false,
    reason,
    at: new Date(now()).toISOString(),
    servers: new Map(),
  });
  const timeout = AbortSignal.timeout(ms);
  const bound = AbortSignal.any([signal, timeout]);
  const timedOut = () => failed(`timed out after ${seconds(ms)}`);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<HealthSnapshot>((done) => {
    timer = setTimeout(() => done(timedOut()), ms);
  });
  try {
    const snapshot = await Promise.race([
      source.read(servers, bound).catch((err: unknown) => failed(ioReason(err))),
      late,
    ]);
    // Whichever noticed first, a read cut short by the bound says so in the same words.
    return !snapshot.ok && timeout.aborted && !signal.aborted ? timedOut() : snapshot;
  } finally {
    clearTimeout(timer);
  }
}

/** Every source read at once, each bounded by its own timeout and by the budget. */
export function readSources(
  sources: readonly HealthSource[],
  servers: readonly string[],
  budgetMs: number,
  signal: AbortSignal,
  timeouts: ReadonlyMap<string, number> = new Map(),
): Promise<HealthSnapshot[]> {
  return Promise.all(
    sources.map((s) =>
      readBounded(s, servers, Math.min(timeouts.get(s.name) ?? budgetMs, budgetMs), signal),
    ),
  );
}

/** The newest run that is not an invalid revision (invalid ones are never applied). */
function headRun(runs: readonly RunRecord[]): RunRecord | null {
  return runs.find((r) => r.result !== "invalid") ?? null;
}

async function syncFacts(
  input: GatherInput,
  store: StateStore,
  signal: AbortSignal,
): Promise<SyncFacts> {
  const runs = await store.lastRuns(20, signal);
  const head = input.head !== undefined ? input.head : (headRun(runs)?.revision ?? null);
  const run = runs.find((r) => r.revision === head) ?? null;
  const outputs = await Promise.all(
    input.outputs.map(async (name) => ({
      name,
      revision: (await store.applied(name, signal))?.revision ?? null,
    })),
  );
  return {
    head,
    outputs,
    run: run ? { revision: run.revision, result: run.result } : null,
    drift: await driftOf(input, store, signal),
  };
}

/** Drift against the baseline the reconcile pass keeps (reconciler/reconcile/one-pass.ts). */
async function driftOf(input: GatherInput, store: StateStore, signal: AbortSignal) {
  if (!input.observe) return [];
  const baseline = await store.observed("providers", "baseline", signal);
  if (!baseline) return [];
  const observed = await input.observe(signal).catch(() => null);
  if (!observed) return [];
  return planDrift({ applied: baseline.state as ObservedStack[], observed });
}

/** The last run per server: a report's certname is the server's name or its address. */
async function puppetRuns(
  input: GatherInput,
  store: StateStore,
  signal: AbortSignal,
): Promise<Map<string, PuppetRun> | null> {
  const reader = store as Partial<PuppetRunReader>;
  if (typeof reader.puppetRuns !== "function") return null;
  // `known` says whether the node was one of lab's servers; matched here, it always is.
  const byNode = new Map<string, PuppetRun>(
    (await reader.puppetRuns(signal)).map(({ known: _known, ...run }) => [run.node, run]),
  );
  const out = new Map<string, PuppetRun>();
  for (const s of input.servers) {
    const run = byNode.get(s.name) ?? byNode.get(s.address);
    if (run) out.set(s.name, run);
  }
  return out;
}

/** Each server's certificate from the CA directory, a few files at a time. */
async function identities(
  caDir: string,
  names: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, IdentityStatus>> {
  const { readCertExpiry } = await import("../adapters/puppet/cert-expiry.js");
  const out = new Map<string, IdentityStatus>();
  for (let i = 0; i < names.length; i += 64) {
    const part = names.slice(i, i + 64);
    const read = await Promise.all(part.map((n) => readCertExpiry(caDir, n, { signal })));
    part.forEach((n, j) => out.set(n, read[j]!));
  }
  return out;
}

/** Everything composeStatus needs, read at once. */
export async function gatherFacts(input: GatherInput): Promise<StatusFacts> {
  const now = input.now ?? Date.now;
  const budget = input.budgetMs ?? STATUS_BUDGET_MS;
  const signal = input.signal ?? new AbortController().signal;
  const names = input.servers.map((s) => s.name);
  const { store } = input;
  const health =
    input.snapshots !== undefined
      ? Promise.resolve(input.snapshots)
      : input.sources
        ? readSources(input.sources.sources, names, budget, signal, input.sources.timeouts)
        : Promise.resolve(null);
  const [snapshots, sync, puppet, identity] = await Promise.all([
    health,
    store ? syncFacts(input, store, signal) : null,
    store ? puppetRuns(input, store, signal) : null,
    input.caDir ? identities(input.caDir, names, signal) : null,
  ]);
  return { sync, health: snapshots, puppet, identity, now: now() };
}
