/**
 * `lab.health.sources` (schemas/lab.schema.json, docs/status.md) as the configs the health
 * source adapters take. The repo is validated first (reconciler/validate/monitoring-settings.ts):
 * here durations are read, defaults filled in and keys named as the adapters read them.
 */
import { durationMs } from "../../core/duration.js";
import type { HealthSourceConfig } from "../../core/health-source.js";
import type { HealthSettings } from "../../core/model.js";

/** One read's bound when `timeout` is not set. */
export const DEFAULT_TIMEOUT_MS = 2_000;

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
