/**
 * The health pillar: what every configured health source says of a server. The worst verdict
 * wins; a source that did not answer counts as unknown with its reason, never as healthy.
 */
import type { HealthSnapshot, PillarState } from "../../core/health-source.js";
import { cmp } from "../../core/diagnostics.js";
import { worstState } from "./pillar-state.js";
import type { HealthAlert, HealthCheck, HealthStatus, SourceNote } from "./status-types.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function detailOf(
  state: PillarState,
  alerts: readonly HealthAlert[],
  checks: readonly HealthCheck[],
  notes: readonly SourceNote[],
): string {
  const down = notes.filter((n) => !n.ok);
  const parts: string[] = [];
  const firing = alerts.filter((a) => a.state === "firing").length;
  if (alerts.length) {
    const pending = alerts.length - firing;
    parts.push(`${plural(firing, "alert")} firing${pending ? `, ${pending} pending` : ""}`);
  }
  const failing = checks.filter((c) => c.state !== "ok");
  if (failing.length) parts.push(`${plural(failing.length, "check")} not ok`);
  for (const n of down) parts.push(`${n.name} unknown: ${n.reason ?? "no answer"}`);
  if (parts.length) return parts.join("; ");
  if (state === "ok") return "all checks passing, no alerts active";
  return "no health source reports on this server";
}

/**
 * `snapshots` null: no health source is configured. Otherwise one snapshot per source, each
 * consulted for `server`.
 */
export function healthStatus(
  snapshots: readonly HealthSnapshot[] | null,
  server: string,
): HealthStatus {
  if (!snapshots) {
    const detail = "no health sources configured (lab.health)";
    return { state: "unknown", alerts: [], checks: [], sources: [], detail };
  }
  const alerts: HealthAlert[] = [];
  const checks: HealthCheck[] = [];
  const sources: SourceNote[] = [];
  const verdicts: PillarState[] = [];
  for (const snap of [...snapshots].sort((a, b) => cmp(a.source, b.source))) {
    if (!snap.ok) {
      const reason = snap.reason ?? "no answer";
      sources.push({ name: snap.source, ok: false, reason, state: "unknown", at: snap.at });
      verdicts.push("unknown");
      continue;
    }
    const own = snap.servers.get(server);
    sources.push({
      name: snap.source,
      ok: true,
      reason: null,
      state: own?.state ?? null,
      at: snap.at,
    });
    if (!own) continue;
    verdicts.push(own.state);
    for (const a of own.alerts) alerts.push({ ...a, source: snap.source });
    for (const c of own.checks) checks.push({ ...c, source: snap.source });
  }
  alerts.sort((a, b) => cmp(a.name, b.name) || cmp(a.source, b.source) || cmp(a.state, b.state));
  checks.sort((a, b) => cmp(a.source, b.source) || cmp(a.name, b.name));
  const state = worstState(verdicts, "unknown");
  return { state, alerts, checks, sources, detail: detailOf(state, alerts, checks, sources) };
}
