/**
 * What a size's cpu_threshold and memory_threshold alert at: the size's own `thresholds`, else
 * derived from its abstract shape — alert when less than one core is idle, or less than 1GB of
 * memory is free — kept between 50 and 95 percent; 90 for a size without a shape. A 2-core,
 * 4GB size alerts at 50% CPU and 75% memory; an 8-core, 32GB one at 87% and 95%.
 */
import type { SizeThreshold } from "../../core/check-catalog.js";
import type { ResolvedSize } from "../../core/model.js";

export interface Threshold {
  /** Percent. */
  value: number;
  /** Where the number comes from, for the rule's annotations. */
  why: string;
}

const MIN = 50;
const MAX = 95;
const DEFAULT = 90;

const UNIT_MB: Readonly<Record<string, number>> = {
  MB: 1,
  MiB: 1,
  GB: 1024,
  GiB: 1024,
  TB: 1024 * 1024,
  TiB: 1024 * 1024,
};

function megabytes(text: string): number | null {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*(MB|GB|TB|MiB|GiB|TiB)$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MB[m[2]!]! : null;
}

function clamp(value: number): number {
  return Math.min(MAX, Math.max(MIN, Math.floor(value)));
}

function derived(size: ResolvedSize, which: SizeThreshold): Threshold | null {
  const shape = size.spec.abstract;
  if (which === "cpu_percent" && shape?.cores !== undefined) {
    const cores = shape.cores;
    return {
      value: clamp((100 * (cores - 1)) / cores),
      why: `one of its ${cores} cores idle (from size: ${size.name})`,
    };
  }
  const mb = shape?.memory !== undefined ? megabytes(shape.memory) : null;
  if (which === "memory_percent" && mb !== null && mb > 0) {
    return {
      value: clamp(100 * (1 - 1024 / mb)),
      why: `1GB of its ${shape!.memory} free (from size: ${size.name})`,
    };
  }
  return null;
}

/** The threshold of `which` for servers of `size`. */
export function sizeThreshold(size: ResolvedSize, which: SizeThreshold): Threshold {
  const own = size.spec.thresholds?.[which];
  if (own !== undefined) return { value: own, why: `set in sizes.${size.name}.thresholds` };
  return (
    derived(size, which) ?? {
      value: DEFAULT,
      why: `size ${size.name} has no abstract shape to derive it from`,
    }
  );
}
