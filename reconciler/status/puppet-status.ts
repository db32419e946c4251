/** The Puppet pillar: the last run a node reported, and whether it is recent. */
import type { PuppetRun } from "../../core/puppet-run.js";
import { duration, shortTime } from "./pillar-state.js";
import type { PuppetStatus } from "./status-types.js";

/** A run older than this is stale (Puppet runs every 30 minutes by default). */
export const PUPPET_STALE_MS = 60 * 60 * 1000;

function failureDetail(run: PuppetRun): string {
  if (run.compileErrors.length) {
    return `catalog failed to compile: ${run.compileErrors[0]!}`;
  }
  const n = run.failures.length;
  if (!n) return "the run failed";
  return `${n} resource${n === 1 ? "" : "s"} failed: ${run.failures.map((f) => f.resource).join(", ")}`;
}

/**
 * `runs` null: lab keeps no Puppet reports where it was asked (no state store). A node without a
 * report is unknown, a failed run failed, a run older than `staleMs` a warning, any other ok.
 */
export function puppetStatus(
  runs: ReadonlyMap<string, PuppetRun> | null,
  server: string,
  now: number,
  staleMs: number = PUPPET_STALE_MS,
): PuppetStatus {
  if (!runs) {
    return { state: "unknown", lastRun: null, detail: "no state store: no Puppet reports kept" };
  }
  const run = runs.get(server);
  if (!run) return { state: "unknown", lastRun: null, detail: "no Puppet report received" };
  const when = `last run ${shortTime(run.time)}`;
  if (run.status === "failed") {
    return { state: "failed", lastRun: run, detail: `${when} failed: ${failureDetail(run)}` };
  }
  const age = now - Date.parse(run.time);
  if (age > staleMs) {
    return {
      state: "warn",
      lastRun: run,
      detail: `${when} (${run.status}), ${duration(age)} ago: no report for more than ${duration(staleMs)}`,
    };
  }
  return { state: "ok", lastRun: run, detail: `${when} (${run.status})` };
}
