import { describe, expect, it } from "vitest";
import { parseCondition, readingOf, readingQuery } from "./alert-reading.js";

describe("alert readings", () => {
  const disk = parseCondition("disk_usage_percent > 85")!;

  it("reads EXPR OP NUMBER conditions and nothing else", () => {
    expect(disk).toEqual({ expr: "disk_usage_percent", op: ">", threshold: 85 });
    expect(parseCondition("rate(http_errors_total[5m]) >= 0.5")).toEqual({
      expr: "rate(http_errors_total[5m])",
      op: ">=",
      threshold: 0.5,
    });
    expect(parseCondition("up == 0 and on() foo")).toBeNull();
    expect(readingQuery(disk)).toBe("max by (lab_server) (disk_usage_percent)");
  });

  it("clear, approaching within a tenth of the threshold, over, no value", () => {
    expect(readingOf(disk, 42)).toEqual({ value: 42, state: "ok", text: "42% ✓" });
    expect(readingOf(disk, 76)).toEqual({ value: 76, state: "ok", text: "76% ✓" });
    expect(readingOf(disk, 83)).toEqual({ value: 83, state: "warn", text: "83% ⚠ approaching" });
    expect(readingOf(disk, 91.256)).toEqual({
      value: 91.256,
      state: "failed",
      text: "91.26% ✗ over 85%",
    });
    expect(readingOf(disk, undefined)).toEqual({ value: null, state: "unknown", text: "no value" });
  });

  it("below-threshold conditions approach from above", () => {
    const up = parseCondition("http_up < 1")!;
    expect(readingOf(up, 1).text).toBe("1 ⚠ approaching");
    expect(readingOf(up, 0).text).toBe("0 ✗ under 1");
    const free = parseCondition("free_bytes < 100")!;
    expect(readingOf(free, 200).text).toBe("200 ✓");
  });
});
