/**
 * From Naemon's (or Nagios's) host and service states to lab's servers (docs/status.md, "Health
 * sources"). lab renders each server as the host of the same name (renderers/naemon), so a
 * host's name is the server's; hosts that are not lab's are skipped. The state rule:
 *
 * - failed: the host is DOWN, or a service is CRITICAL, in a hard state;
 * - warn: any other problem (a service WARNING or UNKNOWN, a soft DOWN or CRITICAL, the host
 *   UNREACHABLE);
 * - unknown: nothing about the server has been checked yet;
 * - ok: otherwise.
 *
 * Pure; status.dat and Livestatus are read by status-dat.ts and livestatus.ts.
 */
import type { CheckResult, PillarState, SourceHealth } from "../../../core/health-source.js";

/** One host or service as the daemon reports it. */
export interface NaemonStatus {
  host: string;
  /** The service description; null for the host itself. */
  service: string | null;
  /** Host: 0 UP, 1 DOWN, 2 UNREACHABLE. Service: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  state: number;
  output: string;
  /** Unix time of the last check; 0 when never. */
  lastCheck: number;
  checked: boolean;
  /** A hard state (the retries are spent), not a soft one. */
  hard: boolean;
}

const SERVICE_STATES = ["ok", "warning", "critical", "unknown"] as const;

function checkState(status: NaemonStatus): CheckResult["state"] {
  if (!status.checked) return "unknown";
  if (status.service === null) {
    return status.state === 0 ? "ok" : status.state === 1 ? "critical" : "unknown";
  }
  return SERVICE_STATES[status.state] ?? "unknown";
}

function checkResult(status: NaemonStatus): CheckResult {
  const output = status.checked ? status.output : "not checked yet";
  return {
    name: status.service ?? "host",
    state: checkState(status),
    output: output.split(/\r?\n/, 1)[0] ?? "",
    checkedAt:
      status.checked && status.lastCheck > 0
        ? new Date(status.lastCheck * 1000).toISOString()
        : null,
  };
}

/** How bad one status is for the server: 2 failed, 1 warn, 0 fine; null when not checked. */
function severity(status: NaemonStatus): 0 | 1 | 2 | null {
  if (!status.checked) return null;
  if (status.state === 0) return 0;
  // The host DOWN (1) or a service CRITICAL (2), once the daemon is sure of it.
  const worst = status.service === null ? status.state === 1 : status.state === 2;
  return worst && status.hard ? 2 : 1;
}

export function naemonState(statuses: readonly NaemonStatus[]): PillarState {
  let worst: 0 | 1 | 2 | null = null;
  for (const status of statuses) {
    const s = severity(status);
    if (s !== null && (worst === null || s > worst)) worst = s;
  }
  return worst === null ? "unknown" : worst === 2 ? "failed" : worst === 1 ? "warn" : "ok";
}

function byName(a: CheckResult, b: CheckResult): number {
  // The host check first, then services by description.
  if (a.name === "host" || b.name === "host")
    return a.name === b.name ? 0 : a.name === "host" ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Each wanted server the daemon reports on, by its host's name; the others are left out. */
export function naemonHealth(
  wanted: readonly string[],
  statuses: readonly NaemonStatus[],
): Map<string, SourceHealth> {
  const byHost = new Map<string, NaemonStatus[]>();
  for (const server of wanted) byHost.set(server, []);
  for (const status of statuses) byHost.get(status.host)?.push(status);
  const out = new Map<string, SourceHealth>();
  for (const server of [...byHost.keys()].sort()) {
    const list = byHost.get(server)!;
    if (list.length === 0) continue;
    const checks = list.map(checkResult).sort(byName);
    out.set(server, { state: naemonState(list), alerts: [], checks });
  }
  return out;
}
