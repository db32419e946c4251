/** The health sources a repo configures (`lab.health.sources`), opened; null when none is. */
import type { HealthSource } from "../core/health-source.js";
import type { Settings } from "../core/model.js";

export interface ConfiguredSources {
  sources: HealthSource[];
  /** Each source's own bound on one read, by name. */
  timeouts: Map<string, number>;
}

/** The adapters are loaded only for a repo that lists sources: a plain repo pays nothing. */
export async function configuredSources(settings: Settings): Promise<ConfiguredSources | null> {
  if (!settings.health?.sources?.length) return null;
  const [{ healthSourceConfigs }, { openHealthSources }] = await Promise.all([
    import("../adapters/health/health-config.js"),
    import("../adapters/health/registry.js"),
  ]);
  const configs = healthSourceConfigs(settings.health);
  return {
    sources: openHealthSources(configs),
    timeouts: new Map(configs.map((c) => [c.name, c.timeoutMs])),
  };
}
