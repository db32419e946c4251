/** What a size would be on each provider, for the all-providers comparison: a shape, or why not. */
import { cmp } from "../../core/diagnostics.js";
import type { Provider, ResolvedSize } from "../../core/model.js";
import { awsShape, describeCoresMemory, minimumShape, xcpngShape } from "./size-shapes.js";

export type Shape =
  | { kind: "aws"; instanceType: string; volumeGb?: number }
  | { kind: "xcpng"; cores: number; memoryMb: number; diskGb?: number }
  | { kind: "baremetal"; minCores?: number; minMemoryMb?: number; maasTag?: string }
  | { kind: "ssh"; minCores?: number; minMemoryMb?: number };

export interface ShapeOn {
  shape: Shape | null;
  reason: string | null;
}

/** `{a: 1, b: undefined}` -> `{a: 1}`: JSON and equality see the same keys. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function unmapped(size: ResolvedSize, provider: Provider): ShapeOn {
  return { shape: null, reason: `size "${size.name}" has no ${provider} mapping` };
}

function xcpngOn(size: ResolvedSize): ShapeOn {
  const x = xcpngShape(size.spec);
  if (!x) return unmapped(size, "xcpng");
  const { cores, memory_mb: memoryMb } = x;
  if (cores === undefined || memoryMb === undefined) {
    const missing = [cores === undefined ? "cores" : "", memoryMb === undefined ? "memory" : ""];
    const what = missing.filter(Boolean).join(" and no ");
    return { shape: null, reason: `size "${size.name}" gives xcpng no ${what}` };
  }
  const shape = { kind: "xcpng" as const, cores, memoryMb, diskGb: x.disk_gb };
  return { shape: defined(shape), reason: null };
}

/** The shape `size` has on `provider`, from the provider's mapping (and the abstract shape). */
export function shapeOn(provider: Provider, size: ResolvedSize): ShapeOn {
  if (provider === "aws") {
    const aws = awsShape(size.spec);
    if (!aws) return unmapped(size, provider);
    const shape = {
      kind: "aws" as const,
      instanceType: aws.instance_type,
      volumeGb: aws.volume_size,
    };
    return { shape: defined(shape), reason: null };
  }
  if (provider === "xcpng") return xcpngOn(size);
  const min = minimumShape(size.spec, provider);
  if (!min) return unmapped(size, provider);
  const common = { minCores: min.min_cores, minMemoryMb: min.min_memory_mb };
  const shape: Shape =
    provider === "baremetal"
      ? { kind: "baremetal", ...common, maasTag: min.maas_tag }
      : { kind: "ssh", ...common };
  return { shape: defined(shape), reason: null };
}

/** `t3.large`, `4c/8GB`, `IPMI boot ≥4c/8GB`, `≥4c/8GB` (or `existing host`). */
export function describeShape(shape: Shape): string {
  if (shape.kind === "aws") return shape.instanceType;
  if (shape.kind === "xcpng") return describeCoresMemory(shape.cores, shape.memoryMb);
  const min = describeCoresMemory(shape.minCores, shape.minMemoryMb);
  if (shape.kind === "baremetal") return min ? `IPMI boot ≥${min}` : "IPMI boot";
  return min ? `≥${min}` : "existing host";
}

/** Size names in order, "no size" (null) last. */
export function compareSizes(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return cmp(a, b);
}
