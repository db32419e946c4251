/**
 * The health source adapters, registered in core's HEALTH_SOURCES by kind (the kinds are the
 * enum of `lab.health.sources.*.kind` in schemas/lab.schema.json; registry.test.ts keeps the
 * two the same). Importing this module fills the registry.
 */
import { LabError } from "../../core/errors.js";
import {
  HEALTH_SOURCES,
  type HealthSource,
  type HealthSourceConfig,
} from "../../core/health-source.js";
import { hintFor, suggest } from "../../core/suggest.js";
import { naemonHealthSource } from "./naemon/naemon-source.js";
import { prometheusHealthSource } from "./prometheus/prometheus-source.js";

HEALTH_SOURCES.set("naemon", (config) => naemonHealthSource(config));
HEALTH_SOURCES.set("prometheus", prometheusHealthSource);

/** The registered kinds, sorted. */
export function healthSourceKinds(): string[] {
  return [...HEALTH_SOURCES.keys()].sort();
}

/** The sources of `configs`, in their order. An unknown kind is a usage error naming the known. */
export function openHealthSources(configs: readonly HealthSourceConfig[]): HealthSource[] {
  return configs.map((config) => {
    const make = HEALTH_SOURCES.get(config.kind);
    if (!make) {
      const hint = hintFor(suggest(config.kind, healthSourceKinds()));
      throw new LabError(
        "USAGE",
        `health source ${config.name}: unknown kind "${config.kind}" (known: ${healthSourceKinds().join(", ")})${hint}`,
      );
    }
    return make(config);
  });
}
