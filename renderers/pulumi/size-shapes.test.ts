import { describe, expect, it } from "vitest";
import {
  awsShape,
  describeCoresMemory,
  formatMb,
  minimumShape,
  parseMemoryMb,
  xcpngShape,
} from "./size-shapes.js";

describe("memory amounts", () => {
  it("parses the units the schema allows, as binary multiples", () => {
    expect(parseMemoryMb("8GB")).toBe(8192);
    expect(parseMemoryMb("8192MB")).toBe(8192);
    expect(parseMemoryMb("0.5 GiB")).toBe(512);
    expect(parseMemoryMb("2TB")).toBe(2 * 1024 * 1024);
    expect(parseMemoryMb("8 gigs")).toBeNull();
  });

  it("formats in the largest whole unit", () => {
    expect(formatMb(8192)).toBe("8GB");
    expect(formatMb(1536)).toBe("1536MB");
    expect(formatMb(1024 * 1024)).toBe("1TB");
  });

  it("describes cores, memory and disk, leaving out what is unknown", () => {
    expect(describeCoresMemory(4, 8192)).toBe("4c/8GB");
    expect(describeCoresMemory(4, 8192, 100)).toBe("4c/8GB, 100GB disk");
    expect(describeCoresMemory(undefined, undefined, 100)).toBe("100GB disk");
    expect(describeCoresMemory()).toBe("");
  });
});

describe("provider shapes", () => {
  const size = {
    abstract: { cores: 4, memory: "8GB", disk: "1.5TB" },
    providers: {
      aws: { instance_type: "t3.large" },
      xcpng: { memory: "6GB" },
      baremetal: { maas_tag: "medium" },
    },
  };

  it("takes the provider's mapping, its gaps filled from the abstract size", () => {
    expect(awsShape(size)).toEqual({ instance_type: "t3.large" });
    expect(xcpngShape(size)).toEqual({ cores: 4, memory_mb: 6144, disk_gb: 1536 });
    expect(minimumShape(size, "baremetal")).toEqual({
      min_cores: 4,
      min_memory_mb: 8192,
      maas_tag: "medium",
    });
  });

  it("has no shape for a provider the size does not map", () => {
    expect(minimumShape(size, "ssh")).toBeNull();
    expect(awsShape({ abstract: { cores: 1 } })).toBeNull();
    expect(xcpngShape({})).toBeNull();
  });

  it("keeps an aws root volume", () => {
    const s = { providers: { aws: { instance_type: "m6i.2xlarge", volume_size: 500 } } };
    expect(awsShape(s)).toEqual({ instance_type: "m6i.2xlarge", volume_size: 500 });
  });
});
