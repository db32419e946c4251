/**
 * Status in `lab serve` (docs/status.md, "Status"): the health sources of the applied revision
 * are read on an interval (LAB_STATUS_REFRESH_SECONDS, default 30) and the snapshots kept in
 * memory, so the read API answers with status without waiting on a source; the state store's
 * part (applied outputs, runs, Puppet runs) is read per request. Each refresh also sets
 * `lab_servers_by_pillar`.
 */
import type { HealthSnapshot } from "../core/health-source.js";
import type { ResolvedModel } from "../core/model.js";
import type { StateStore } from "../core/state-store.js";
import { UsageError } from "../core/errors.js";
import type { Logger } from "../adapters/http/logger.js";
import type { LabMetrics } from "../adapters/http/metrics.js";
import { outputTargets, pulumiBackend } from "../adapters/output/outputs.js";
import { readCheckpoints } from "../adapters/pulumi/checkpoint.js";
import { composeStatus, countByPillar } from "../reconciler/status/compose-status.js";

import type { Applied } from "./serve-api.js";
import { gatherFacts, readSources } from "./status-gather.js";
import type { StatusReader } from "./status-local.js";
import { queryFirst } from "./status-local.js";
import { configuredSources, type ConfiguredSources } from "./status-sources.js";

export const DEFAULT_REFRESH_SECONDS = 30;

export interface ServeStatusOptions {
  store: StateStore;
  /** The state directory: where the outputs and Pulumi's backend are (as the passes use it). */
  base: string;
  metrics?: LabMetrics;
  logger?: Pick<Logger, "warn">;
  /** A Puppet CA directory (LAB_PUPPET_CA_DIR) for the servers' certificates. */
  caDir?: string | null;
  /** How often the sources are read, in ms. */
  refreshMs: number;
}

export interface ServeStatus {
  /** Starts refreshing from the revision `applied` gives (the read API's own). */
  attach(applied: (signal?: AbortSignal) => Promise<Applied>): void;
  /** A reader of the status of `applied`, from the snapshots in memory. */
  reader(applied: Applied): StatusReader;
  /** One refresh now: the sources read, the gauge set. */
  refresh(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/** LAB_STATUS_REFRESH_SECONDS in ms; a usage error names a bad value. */
export function refreshMsOf(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_REFRESH_SECONDS * 1000;
  const s = Number(value);
  if (!Number.isFinite(s) || s < 1) {
    throw new UsageError(
      `LAB_STATUS_REFRESH_SECONDS "${value}": expected a number of seconds, at least 1`,
    );
  }
  return s * 1000;
}

function notReadYet(sources: ConfiguredSources): HealthSnapshot[] {
  const at = new Date().toISOString();
  return sources.sources.map((s) => ({
    source: s.name,
    ok: false,
    reason: "not read yet",
    at,
    servers: new Map(),
  }));
}

export function serveStatus(options: ServeStatusOptions): ServeStatus {
  const { store, base } = options;
  let opened: { key: string; sources: ConfiguredSources | null } | null = null;
  let kept: { key: string; snapshots: HealthSnapshot[] } | null = null;
  let getApplied: ((signal?: AbortSignal) => Promise<Applied>) | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let early: Promise<void> | null = null;
  const stopping = new AbortController();

  const sourcesOf = async (model: ResolvedModel) => {
    const key = JSON.stringify(model.settings.health ?? null);
    if (opened?.key !== key) opened = { key, sources: await configuredSources(model.settings) };
    return opened;
  };
  const snapshotsOf = async (model: ResolvedModel): Promise<HealthSnapshot[] | null> => {
    const { key, sources } = await sourcesOf(model);
    if (!sources) return null;
    if (kept?.key === key) return kept.snapshots;
    // A revision whose sources were never read (the first apply, lab.health changed): read them
    // now rather than at the next tick; this answer says "not read yet".
    if (!early) early = refresh().finally(() => (early = null));
    return notReadYet(sources);
  };
  const statuses = async (
    applied: Applied,
    names: readonly string[] | null,
    signal: AbortSignal,
  ) => {
    const { model } = applied;
    const wanted = names ? new Set(names) : null;
    const servers = model.servers.filter((s) => !wanted || wanted.has(s.name));
    const facts = await gatherFacts({
      servers,
      store,
      outputs: outputTargets(model.settings, base).map((t) => t.name),
      sources: null,
      snapshots: await snapshotsOf(model),
      head: applied.revision,
      caDir: options.caDir ?? null,
      observe: () => readCheckpoints(pulumiBackend(base, model.settings.outputs)),
      signal,
    });
    return composeStatus(
      servers.map((s) => s.name),
      facts,
    );
  };
  const refreshOnce = async (signal: AbortSignal): Promise<void> => {
    if (!getApplied) return;
    const applied = await getApplied(signal).catch(() => null);
    if (!applied) return;
    const { key, sources } = await sourcesOf(applied.model);
    if (sources) {
      const names = applied.model.servers.map((s) => s.name);
      const budget = Math.max(...sources.timeouts.values());
      kept = {
        key,
        snapshots: await readSources(sources.sources, names, budget, signal, sources.timeouts),
      };
    } else kept = null;
    if (options.metrics) {
      const counts = countByPillar((await statuses(applied, null, signal)).values());
      for (const [pillar, states] of Object.entries(counts))
        for (const [state, n] of Object.entries(states))
          options.metrics.serversByPillar.set({ pillar, state }, n);
    }
  };
  const refresh = (signal: AbortSignal = stopping.signal): Promise<void> => {
    running = running.then(() =>
      refreshOnce(signal).catch((err: unknown) => {
        options.logger?.warn(
          { err: err instanceof Error ? err.message : String(err) },
          "status refresh failed",
        );
      }),
    );
    return running;
  };
  const loop = () => {
    void refresh().then(() => {
      if (!stopping.signal.aborted) timer = setTimeout(loop, options.refreshMs);
    });
  };
  return {
    attach(applied) {
      getApplied = applied;
      loop();
    },
    reader(applied): StatusReader {
      return {
        statuses: (model, names, signal) => statuses({ ...applied, model }, names, signal),
        query: async (expr, signal) =>
          queryFirst((await sourcesOf(applied.model)).sources, expr, signal),
        close: () => Promise.resolve(),
      };
    },
    refresh,
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
