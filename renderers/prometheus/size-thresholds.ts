/**
 * What a size's cpu_threshold and memory_threshold alert at: the size's own `thresholds`, else
 * derived from its abstract shape — alert when less than one core is idle, or less than 1GB of
 * memory is free — kept between 50 and 95 percent; 90 for a size without a shape. A 2-core,
 * 4GB size alerts at 50% CPU and 75% memory; an 8-core, 32GB one at 87% and 95%.
 */
import type { SizeThreshold } from "../../core/check-catalog.js";
import { parseMemoryMb } from "../../core/memory.js";
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
  const mb = shape?.memory !== undefined ? parseMemoryMb(shape.memory) : null;
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
