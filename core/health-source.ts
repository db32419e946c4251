/**
 * The health source contract (docs/status.md): where lab reads whether a server's checks pass.
 * A source answers for the servers it knows; a source that does not answer makes its servers
 * `unknown` with the reason, never healthy. Sources are listed in the repo's `lab.health`; the
 * adapters fill the registry (Prometheus, Naemon/Nagios) and tests use the memory source.
 */

/** One pillar's state, as `lab get servers` draws it: ✓ ok, ⚠ warn, ✗ failed, … unknown. */
export type PillarState = "ok" | "warn" | "failed" | "unknown";

/** An alert firing or pending for one server (Prometheus `/api/v1/alerts`). */
export interface ActiveAlert {
  name: string;
  state: "firing" | "pending";
  /** When it became active, ISO 8601; null when the source does not say. */
  since: string | null;
  /** The sample value that made it active, as the source prints it; null when unknown. */
  value: string | null;
  severity: string | null;
  summary: string | null;
}

/** A check's last result for one server (a Naemon/Nagios host or service, a scrape target). */
export interface CheckResult {
  /** `host` for the host check, the service description for a service, `up` for a target. */
  name: string;
  state: "ok" | "warning" | "critical" | "unknown";
  /** The plugin's output or the scrape error; never more than one line. */
  output: string;
  /** When it was last checked, ISO 8601; null when the source does not say. */
  checkedAt: string | null;
}

/** What one source knows about one server. */
export interface SourceHealth {
  state: PillarState;
  alerts: ActiveAlert[];
  checks: CheckResult[];
}

/** One read of one source. */
export interface HealthSnapshot {
  /** The source's name from `lab.health` (e.g. "prometheus"). */
  source: string;
  /** false when the source did not answer (down, timeout, bad answer): every server unknown. */
  ok: boolean;
  /** Why it did not answer, for people: "connect ECONNREFUSED 127.0.0.1:9090", "timed out after 2 s". */
  reason: string | null;
  /** When it was read, ISO 8601. */
  at: string;
  /** Per server name (lab's names), only the servers the source reports on. */
  servers: Map<string, SourceHealth>;
}

export interface HealthSource {
  readonly name: string;
  /** The adapter kind, a key of HEALTH_SOURCES. */
  readonly kind: string;
  /**
   * Reads the source once, bounded by its timeout and `signal`. Never throws for a source that is
   * down or answers badly: that is a snapshot with `ok: false` and the reason.
   */
  read(servers: readonly string[], signal: AbortSignal): Promise<HealthSnapshot>;
  /**
   * The current value of an expression per server (Prometheus `/api/v1/query`, by `lab_server`),
   * for `lab show alert`; absent for sources that have no query language.
   */
  query?(expr: string, signal: AbortSignal): Promise<Map<string, number>>;
}

/** A source's settings from `lab.health` (the adapter validates its own fields). */
export interface HealthSourceConfig {
  name: string;
  kind: string;
  /** Bound on one read, milliseconds. */
  timeoutMs: number;
  [field: string]: unknown;
}

/** The health source adapters by kind, filled entry by entry by the adapters. */
export const HEALTH_SOURCES = new Map<string, (config: HealthSourceConfig) => HealthSource>();
