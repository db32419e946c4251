import { describe, expect, it } from "vitest";
import { formatMs, summarize, table } from "./stats.js";

describe("summarize", () => {
  it("takes the middle sample of an odd count, whatever the order", () => {
    expect(summarize([30, 10, 20, 50, 40])).toEqual({ median: 30, min: 10, max: 50 });
  });

  it("averages the two middle samples of an even count", () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it("refuses an empty list", () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe("formatMs and table", () => {
  it("prints milliseconds below a second and seconds above", () => {
    expect([formatMs(3.456), formatMs(512.4), formatMs(1534)]).toEqual([
      "3.46 ms",
      "512 ms",
      "1.53 s",
    ]);
  });

  it("pads the first column left-aligned and the others right-aligned", () => {
    expect(
      table(
        ["stage", "ms"],
        [
          ["parse", "5"],
          ["load", "120"],
        ],
      ),
    ).toBe("stage   ms\nparse    5\nload   120");
  });
});
