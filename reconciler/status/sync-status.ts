/** The sync pillar: is the server applied at the revision lab serves, and do its resources drift? */
import type { RunResult } from "../../core/state-store.js";
import type { Drift } from "../plan/plan-types.js";
import type { SyncStatus } from "./status-types.js";

/** What the state store and the providers say, the same for every server. */
export interface SyncFacts {
  /** The revision servers are compared with: the one lab serves, or the newest run's; null: none. */
  head: string | null;
  /** Each enabled output target with the revision applied to it (null: never applied). */
  outputs: readonly { name: string; revision: string | null }[];
  /** The newest run of `head`, when there is one: a failed run makes the outputs behind it failed. */
  run: { revision: string; result: RunResult | null } | null;
  /** Drift of every provider stack (planDrift of what lab applied against what is observed). */
  drift: readonly Drift[];
}

function short(revision: string): string {
  return revision.slice(0, 12);
}

/** The drift of one server: the provider resources named after it (`…::<type>::<name>`). */
export function serverDrift(drift: readonly Drift[], server: string): Drift[] {
  return drift.filter((d) => d.urn.endsWith(`::${server}`));
}

function behindDetail(facts: SyncFacts, head: string, behind: readonly string[]): string {
  const at = behind.map((name) => {
    const revision = facts.outputs.find((o) => o.name === name)?.revision ?? null;
    return `${name} (${revision ? `at ${short(revision)}` : "never applied"})`;
  });
  return `behind ${short(head)}: ${at.join(", ")}`;
}

export function syncStatus(facts: SyncFacts | null, server: string): SyncStatus {
  if (!facts) {
    const detail = "no state store: nothing is known of what was applied";
    return { state: "unknown", revision: null, behind: [], drift: [], detail };
  }
  const { head } = facts;
  if (head === null) {
    return {
      state: "unknown",
      revision: null,
      behind: [],
      drift: [],
      detail: "nothing applied yet",
    };
  }
  const behind = facts.outputs
    .filter((o) => o.revision !== head)
    .map((o) => o.name)
    .sort();
  const drift = serverDrift(facts.drift, server);
  const base = { revision: head, behind, drift };
  if (behind.length) {
    const run = facts.run?.revision === head ? facts.run : null;
    if (run?.result === "failed") {
      return {
        state: "failed",
        ...base,
        detail: `apply failed; ${behindDetail(facts, head, behind)}`,
      };
    }
    const running = run !== null && run.result === null ? "applying; " : "";
    return { state: "warn", ...base, detail: running + behindDetail(facts, head, behind) };
  }
  if (drift.length) {
    const n = drift.length;
    return {
      state: "warn",
      ...base,
      detail: `drift: ${n} resource${n === 1 ? "" : "s"} differ${n === 1 ? "s" : ""} from what was applied`,
    };
  }
  return { state: "ok", ...base, detail: `applied at ${short(head)}` };
}
