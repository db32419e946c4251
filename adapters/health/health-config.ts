/**
 * `lab.health.sources` (schemas/lab.schema.json, docs/status.md) as the configs the health
 * source adapters take. The repo is validated first (reconciler/validate/monitoring-settings.ts):
 * here durations are read, defaults filled in and keys named as the adapters read them.
 */
import type { HealthSourceConfig } from "../../core/health-source.js";
import type { HealthSettings } from "../../core/model.js";

/** One read's bound when `timeout` is not set. */
export const DEFAULT_TIMEOUT_MS = 2_000;

const UNIT_MS: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/** A Prometheus duration (`1h30m`, `500ms`) in milliseconds; null when it is not one. */
export function durationMs(text: string): number | null {
  if (!/^(?:\d+(?:ms|[ywdhms]))+$/.test(text) && text !== "0") return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|[ywdhms])/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

/** The sources in the order the repo lists them; none when `lab.health` is absent. */
export function healthSourceConfigs(health: HealthSettings | undefined): HealthSourceConfig[] {
  return (health?.sources ?? []).map((source) => {
    const config: HealthSourceConfig = {
      name: source.name,
      kind: source.kind,
      timeoutMs:
        (source.timeout !== undefined ? durationMs(source.timeout) : null) ?? DEFAULT_TIMEOUT_MS,
    };
    if (source.url !== undefined) config.url = source.url;
    if (source.status_file !== undefined) config.statusFile = source.status_file;
    if (source.livestatus !== undefined) config.livestatus = source.livestatus;
    const maxAge = source.max_age !== undefined ? durationMs(source.max_age) : null;
    if (maxAge !== null) config.maxAgeMs = maxAge;
    return config;
  });
}
