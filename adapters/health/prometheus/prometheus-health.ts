/**
 * From Prometheus's answers to lab's servers (docs/status.md, "Health sources"): targets by their
 * `lab_server` label become `up` checks, alerts by `lab_server` (or, lacking it, by an `instance`
 * that is one server's target) become active alerts, and each server's state follows the rule:
 *
 * - failed: a firing alert with severity `critical`, or every one of its targets down;
 * - warn: any other firing or pending alert, or some of its targets down;
 * - unknown: no alert and no target scraped yet;
 * - ok: otherwise.
 *
 * Servers Prometheus says nothing about are left out. Pure; the fetching is prometheus-source.ts.
 */
import type {
  ActiveAlert,
  CheckResult,
  PillarState,
  SourceHealth,
} from "../../../core/health-source.js";

/** An entry of `/api/v1/alerts` (the fields read). */
export interface PromAlert {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  state?: string;
  activeAt?: string;
  value?: string;
}

/** An entry of `/api/v1/targets`' `activeTargets` (the fields read). */
export interface PromTarget {
  labels?: Record<string, string>;
  health?: string;
  lastError?: string;
  lastScrape?: string;
}

/** Go's zero time, which Prometheus prints for "never". */
const ZERO_TIME = /^0001-01-01T/;

/** Prometheus's RFC 3339 time (nanoseconds, any offset) as ISO 8601 in UTC; null for never. */
function time(text: string | undefined): string | null {
  if (!text || ZERO_TIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function oneLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function targetCheck(target: PromTarget): CheckResult {
  const labels = target.labels ?? {};
  const state = target.health === "up" ? "ok" : target.health === "down" ? "critical" : "unknown";
  const what = `${labels.job ?? "?"} ${labels.instance ?? "?"}`;
  const error = target.lastError ? `: ${oneLine(target.lastError)}` : "";
  return { name: "up", state, output: what + error, checkedAt: time(target.lastScrape) };
}

function activeAlert(alert: PromAlert, state: "firing" | "pending"): ActiveAlert {
  const labels = alert.labels ?? {};
  return {
    name: labels.alertname ?? "",
    state,
    since: time(alert.activeAt),
    value: alert.value ?? null,
    severity: labels.severity ?? null,
    summary: alert.annotations?.summary ?? null,
  };
}

/** The state rule of the file comment. */
export function prometheusState(
  alerts: readonly ActiveAlert[],
  checks: readonly CheckResult[],
): PillarState {
  const down = checks.filter((c) => c.state === "critical").length;
  const up = checks.filter((c) => c.state === "ok").length;
  const critical = alerts.some((a) => a.state === "firing" && a.severity === "critical");
  if (critical || (down > 0 && down === checks.length)) return "failed";
  if (alerts.length > 0 || down > 0) return "warn";
  if (up === 0) return "unknown";
  return "ok";
}

function compareAlerts(a: ActiveAlert, b: ActiveAlert): number {
  return (
    cmp(a.name, b.name) ||
    cmp(a.state, b.state) ||
    cmp(a.since ?? "", b.since ?? "") ||
    cmp(a.value ?? "", b.value ?? "") ||
    cmp(a.summary ?? "", b.summary ?? "")
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Found {
  alerts: ActiveAlert[];
  checks: CheckResult[];
}

/**
 * Each wanted server's health from the alerts and active targets Prometheus listed. Alerts in
 * another state than firing or pending, and labels naming no wanted server, are skipped.
 */
export function prometheusHealth(
  wanted: readonly string[],
  alerts: readonly PromAlert[],
  targets: readonly PromTarget[],
): Map<string, SourceHealth> {
  const found = new Map<string, Found>();
  for (const server of wanted) found.set(server, { alerts: [], checks: [] });
  /** instance -> the one server whose target it is ("" when several servers share it). */
  const byInstance = new Map<string, string>();
  const seen = new Set<string>();
  for (const target of targets) {
    const server = target.labels?.lab_server;
    const entry = server === undefined ? undefined : found.get(server);
    if (!entry || server === undefined) continue;
    seen.add(server);
    entry.checks.push(targetCheck(target));
    const instance = target.labels?.instance;
    if (instance === undefined) continue;
    const other = byInstance.get(instance);
    byInstance.set(instance, other === undefined || other === server ? server : "");
  }
  for (const alert of alerts) {
    if (alert.state !== "firing" && alert.state !== "pending") continue;
    const labels = alert.labels ?? {};
    const server =
      labels.lab_server ?? (labels.instance !== undefined ? byInstance.get(labels.instance) : "");
    const entry = server ? found.get(server) : undefined;
    if (!entry || !server) continue;
    seen.add(server);
    entry.alerts.push(activeAlert(alert, alert.state));
  }
  const out = new Map<string, SourceHealth>();
  for (const server of [...seen].sort()) {
    const { alerts: a, checks: c } = found.get(server)!;
    a.sort(compareAlerts);
    c.sort((x, y) => cmp(x.output, y.output));
    out.set(server, { state: prometheusState(a, c), alerts: a, checks: c });
  }
  return out;
}
