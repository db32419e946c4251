/**
 * `lab.health` and the self-alert settings of `lab.prometheus`: what the schema cannot say.
 * Durations (LAB220), one name per health source (LAB011), and the settings each kind needs
 * (LAB102) or does not read (LAB100).
 */
import { isDuration } from "./alert-rules.js";
import { child, isRecord, type CheckContext } from "./check-context.js";

const DURATION_HELP = "expected e.g. 500ms, 2s, 5m or 1h30m: units y w d h m s ms, largest first";

/** What each health source kind reads besides name, kind and timeout. */
const KIND_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  prometheus: ["url"],
  naemon: ["status_file", "livestatus", "max_age"],
};

function checkPositiveDuration(ctx: CheckContext, value: unknown, pointer: string): void {
  if (typeof value !== "string" || !ctx.ok(pointer)) return;
  if (isDuration(value) && value !== "0") return;
  ctx.report("LAB220", pointer, `malformed duration "${value}" (${DURATION_HELP}, more than 0)`, {
    fix: /^\d+$/.test(value) ? `write ${value}s` : "use a duration such as 2s",
  });
}

function checkKindSettings(
  ctx: CheckContext,
  source: Readonly<Record<string, unknown>>,
  at: string,
): void {
  const kind = source.kind;
  if (typeof kind !== "string" || !ctx.ok(child(at, "kind"))) return;
  const own = KIND_SETTINGS[kind];
  if (!own) return;
  for (const key of Object.keys(source)) {
    if (["name", "kind", "timeout"].includes(key) || own.includes(key)) continue;
    if (!Object.values(KIND_SETTINGS).some((keys) => keys.includes(key))) continue;
    ctx.report("LAB100", child(at, key), `a ${kind} health source does not read ${key}`, {
      key: true,
      fix: `remove it (a ${kind} source reads ${own.join(", ")}, timeout)`,
    });
  }
  if (!ctx.ok(at)) return;
  if (kind === "prometheus" && source.url === undefined) {
    ctx.report("LAB102", at, "a prometheus health source needs url", {
      fix: "add url: http://127.0.0.1:9090 (Prometheus's base URL)",
    });
  }
  if (kind === "naemon" && source.status_file === undefined && source.livestatus === undefined) {
    ctx.report("LAB102", at, "a naemon health source needs status_file or livestatus", {
      fix: "add status_file: /var/lib/naemon/status.dat (or livestatus: the socket's path)",
    });
  }
}

function checkHealth(ctx: CheckContext, health: unknown): void {
  if (!isRecord(health) || !Array.isArray(health.sources)) return;
  const first = new Map<string, string>();
  health.sources.forEach((source: unknown, i) => {
    if (!isRecord(source)) return;
    const at = `/lab/health/sources/${i}`;
    checkPositiveDuration(ctx, source.timeout, child(at, "timeout"));
    checkPositiveDuration(ctx, source.max_age, child(at, "max_age"));
    checkKindSettings(ctx, source, at);
    const name = source.name;
    if (typeof name !== "string" || !ctx.ok(child(at, "name"))) return;
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, at);
      return;
    }
    ctx.report("LAB011", child(at, "name"), `health source ${name} is listed twice`, {
      fix: "give each source its own name",
      related: [ctx.repo.sources.locate(child(earlier, "name"), { key: false })],
    });
  });
}

export function checkMonitoringSettings(ctx: CheckContext): void {
  const lab = ctx.repo.config.lab;
  if (!isRecord(lab)) return;
  checkHealth(ctx, lab.health);
  const prometheus = lab.prometheus;
  if (isRecord(prometheus)) {
    checkPositiveDuration(ctx, prometheus.self_alerts_behind, "/lab/prometheus/self_alerts_behind");
  }
}
