import { describe, expect, it } from "vitest";
import { formatBoxTable } from "./box-table.js";

describe("formatBoxTable", () => {
  it("draws a header, a rule and rows, each column as wide as its widest cell", () => {
    expect(
      formatBoxTable(
        ["", "AWS", "XCP-ng"],
        [
          ["Compute", "t3.large", "4c/8GB"],
          ["Est. Cost", "~$61/mo", "—"],
        ],
      ),
    ).toBe(
      [
        "┌───────────┬──────────┬────────┐",
        "│           │ AWS      │ XCP-ng │",
        "├───────────┼──────────┼────────┤",
        "│ Compute   │ t3.large │ 4c/8GB │",
        "│ Est. Cost │ ~$61/mo  │ —      │",
        "└───────────┴──────────┴────────┘",
        "",
      ].join("\n"),
    );
  });

  it("pads short rows with empty cells", () => {
    expect(formatBoxTable(["a", "b"], [["x"]])).toBe(
      ["┌───┬───┐", "│ a │ b │", "├───┼───┤", "│ x │   │", "└───┴───┘", ""].join("\n"),
    );
  });

  it("draws a header-only table", () => {
    expect(formatBoxTable(["name"], [])).toBe(
      ["┌──────┐", "│ name │", "├──────┤", "└──────┘", ""].join("\n"),
    );
  });
});
