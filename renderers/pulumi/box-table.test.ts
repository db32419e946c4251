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

  it("gives a cell of several lines as many table lines, its column as wide as its widest line", () => {
    expect(
      formatBoxTable(
        ["", "AWS"],
        [
          ["Compute", "2× t3.large (medium)\n1× m5.xlarge (large)"],
          ["Cost", "total"],
        ],
      ),
    ).toBe(
      [
        "┌─────────┬──────────────────────┐",
        "│         │ AWS                  │",
        "├─────────┼──────────────────────┤",
        "│ Compute │ 2× t3.large (medium) │",
        "│         │ 1× m5.xlarge (large) │",
        "│ Cost    │ total                │",
        "└─────────┴──────────────────────┘",
        "",
      ].join("\n"),
    );
  });

  it("draws a rule between rows when asked", () => {
    expect(formatBoxTable(["a"], [["x\ny"], ["z"]], { rowRules: true })).toBe(
      ["┌───┐", "│ a │", "├───┤", "│ x │", "│ y │", "├───┤", "│ z │", "└───┘", ""].join("\n"),
    );
  });
});
