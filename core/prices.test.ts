import { describe, expect, it } from "vitest";
import { BUILT_IN_PRICES, PRICE_BASIS, monthlyPrice } from "./prices.js";

describe("monthlyPrice", () => {
  it("reads the built-in list: t3.large at 0.0832 USD/h for 730 hours", () => {
    expect(monthlyPrice("aws", "t3.large", {})).toBe(60.74);
  });

  it("prefers the repo's override and adds keys the built-in list lacks", () => {
    const overrides = { aws: { "t3.large": 70 }, xcpng: { medium: 12.5 } };
    expect(monthlyPrice("aws", "t3.large", overrides)).toBe(70);
    expect(monthlyPrice("aws", "t3.small", overrides)).toBe(15.18);
    expect(monthlyPrice("xcpng", "medium", overrides)).toBe(12.5);
  });

  it("returns null for unknown providers and keys, and ignores inherited properties", () => {
    expect(monthlyPrice("aws", "x9.huge", {})).toBeNull();
    expect(monthlyPrice("baremetal", "medium", {})).toBeNull();
    expect(monthlyPrice("aws", "toString", {})).toBeNull();
  });

  it("holds only positive prices, sorted by instance type, with a stated basis", () => {
    const aws = BUILT_IN_PRICES.aws ?? {};
    const keys = Object.keys(aws);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys).toEqual([...keys].sort());
    expect(Object.values(aws).every((p) => p > 0)).toBe(true);
    expect(PRICE_BASIS).toContain("us-east-1");
  });
});
