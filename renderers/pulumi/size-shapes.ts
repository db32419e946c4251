/**
 * What a size means on each provider: the provider's own mapping, its missing fields taken from
 * the size's abstract shape. Shared by the stack config and the all-providers comparison.
 */
import { parseMemoryMb } from "../../core/memory.js";
import type { Size } from "../../core/model.js";

export { parseMemoryMb };

/** 8192 -> `8GB`, 1536 -> `1536MB`, 1048576 -> `1TB`. */
export function formatMb(mb: number): string {
  if (mb % (1024 * 1024) === 0) return `${mb / (1024 * 1024)}TB`;
  if (mb % 1024 === 0) return `${mb / 1024}GB`;
  return `${mb}MB`;
}

function memoryMb(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return parseMemoryMb(text) ?? undefined;
}

export interface AwsShape {
  instance_type: string;
  /** Root volume in GB. */
  volume_size?: number;
}

export interface XcpngShape {
  cores?: number;
  memory_mb?: number;
  disk_gb?: number;
}

/** Minimum hardware a machine must have (baremetal, ssh): nothing is created. */
export interface MinimumShape {
  min_cores?: number;
  min_memory_mb?: number;
  maas_tag?: string;
}

export function awsShape(size: Size): AwsShape | null {
  const aws = size.providers?.aws;
  if (!aws) return null;
  return aws.volume_size === undefined
    ? { instance_type: aws.instance_type }
    : { instance_type: aws.instance_type, volume_size: aws.volume_size };
}

export function xcpngShape(size: Size): XcpngShape | null {
  const x = size.providers?.xcpng;
  if (!x) return null;
  const disk = memoryMb(x.disk ?? size.abstract?.disk);
  return {
    cores: x.cores ?? size.abstract?.cores,
    memory_mb: memoryMb(x.memory ?? size.abstract?.memory),
    disk_gb: disk === undefined ? undefined : Math.ceil(disk / 1024),
  };
}

export function minimumShape(size: Size, provider: "baremetal" | "ssh"): MinimumShape | null {
  const p = size.providers?.[provider];
  if (!p) return null;
  return {
    min_cores: p.min_cores ?? size.abstract?.cores,
    min_memory_mb: memoryMb(p.min_memory ?? size.abstract?.memory),
    maas_tag: "maas_tag" in p ? p.maas_tag : undefined,
  };
}

/** `4c/8GB` (`, 40GB disk` when the disk is known); parts that are unknown are left out. */
export function describeCoresMemory(
  cores?: number,
  memoryMbValue?: number,
  diskGb?: number,
): string {
  const parts: string[] = [];
  if (cores !== undefined) parts.push(`${cores}c`);
  if (memoryMbValue !== undefined) parts.push(formatMb(memoryMbValue));
  const shape = parts.join("/");
  if (diskGb === undefined) return shape;
  return shape ? `${shape}, ${diskGb}GB disk` : `${diskGb}GB disk`;
}
