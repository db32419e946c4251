/**
 * Every server's four pillars (docs/status.md, "Status"), composed from facts read elsewhere:
 * the state store's applied state and runs, the providers' drift, the health sources' snapshots,
 * the Puppet runs and what is known of identity. Pure: the time comes in as `now`.
 */
import type { HealthSnapshot, PillarState } from "../../core/health-source.js";
import type { IdentityStatus, PuppetRun } from "../../core/puppet-run.js";
import { healthStatus } from "./health-status.js";
import { identityStatus } from "./identity-status.js";
import { worstState } from "./pillar-state.js";
import { puppetStatus } from "./puppet-status.js";
import { PILLAR_STATES, PILLARS, type Pillar, type ServerStatus } from "./status-types.js";
import { syncStatus, type SyncFacts } from "./sync-status.js";

export interface StatusFacts {
  /** null: no state store. */
  sync: SyncFacts | null;
  /** One per configured health source; null: none is configured. */
  health: readonly HealthSnapshot[] | null;
  /** The last Puppet run per server name; null: no reports are kept where lab looked. */
  puppet: ReadonlyMap<string, PuppetRun> | null;
  /** What is known of each server's identity; null or absent: unknown. */
  identity: ReadonlyMap<string, IdentityStatus> | null;
  /** Milliseconds since the epoch. */
  now: number;
  /** A Puppet run older than this is stale (default PUPPET_STALE_MS). */
  puppetStaleMs?: number;
}

/** No facts at all: every pillar unknown, with why. */
export function noFacts(now: number): StatusFacts {
  return { sync: null, health: null, puppet: null, identity: null, now };
}

export function serverStatus(facts: StatusFacts, server: string): ServerStatus {
  const sync = syncStatus(facts.sync, server);
  const puppet = puppetStatus(facts.puppet, server, facts.now, facts.puppetStaleMs);
  const health = healthStatus(facts.health, server);
  const identity = identityStatus(facts.identity, server);
  // Identity is unknown for every server until the agent exists: it counts once it is known.
  const counted = [sync.state, puppet.state, health.state];
  if (identity.state !== "unknown") counted.push(identity.state);
  return { state: worstState(counted, "unknown"), sync, puppet, health, identity };
}

export function composeStatus(
  servers: readonly string[],
  facts: StatusFacts,
): Map<string, ServerStatus> {
  return new Map(servers.map((name) => [name, serverStatus(facts, name)]));
}

export type PillarCounts = Record<Pillar, Record<PillarState, number>>;

/** How many servers are in each state, per pillar (every state present, 0 when none). */
export function countByPillar(statuses: Iterable<ServerStatus>): PillarCounts {
  const zero = () =>
    Object.fromEntries(PILLAR_STATES.map((s) => [s, 0])) as Record<PillarState, number>;
  const counts = Object.fromEntries(PILLARS.map((p) => [p, zero()])) as PillarCounts;
  for (const s of statuses) for (const p of PILLARS) counts[p][s[p].state]++;
  return counts;
}
