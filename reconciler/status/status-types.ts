/**
 * A server's four pillars (docs/status.md, "Status"): sync, Puppet, health and identity, each
 * with its state and the detail behind it. Made by composeStatus from facts read elsewhere.
 */
import type { ActiveAlert, CheckResult, PillarState } from "../../core/health-source.js";
import type { IdentityStatus, PuppetRun } from "../../core/puppet-run.js";
import type { Drift } from "../plan/plan-types.js";

export type { PillarState } from "../../core/health-source.js";

export const PILLARS = ["sync", "puppet", "health", "identity"] as const;
export type Pillar = (typeof PILLARS)[number];

/** Every state, best first. */
export const PILLAR_STATES: readonly PillarState[] = ["ok", "warn", "failed", "unknown"];

export interface SyncStatus {
  state: PillarState;
  /** The revision the server is compared with (what lab serves or last ran); null when none. */
  revision: string | null;
  /** The outputs not applied at that revision, sorted. */
  behind: string[];
  /** Provider resources of this server that differ from what lab applied. */
  drift: Drift[];
  detail: string;
}

export interface PuppetStatus {
  state: PillarState;
  lastRun: PuppetRun | null;
  detail: string;
}

/** What one health source said of the server. */
export interface SourceNote {
  name: string;
  /** false: the source did not answer, and `reason` says why. */
  ok: boolean;
  reason: string | null;
  /** The source's verdict on this server; null when it answered but does not know the server. */
  state: PillarState | null;
  /** When the source was read. */
  at: string | null;
}

export interface HealthAlert extends ActiveAlert {
  source: string;
}

export interface HealthCheck extends CheckResult {
  source: string;
}

export interface HealthStatus {
  state: PillarState;
  alerts: HealthAlert[];
  checks: HealthCheck[];
  sources: SourceNote[];
  detail: string;
}

export interface ServerStatus {
  /** The worst of the pillars (identity counts once it is known). */
  state: PillarState;
  sync: SyncStatus;
  puppet: PuppetStatus;
  health: HealthStatus;
  identity: IdentityStatus;
}
