import { describe, expect, it } from "vitest";
import { makeStyle } from "./color.js";
import { cellList, cellValue, NONE, renderTable } from "./table.js";

describe("renderTable", () => {
  it("upper-cases headers and aligns columns with three spaces, no trailing blanks", () => {
    const out = renderTable(
      ["name", "provider", "labels"],
      [
        ["mail-1", "xcpng", "mailserver,production"],
        ["db-10", "baremetal", ""],
      ],
    );
    expect(out).toBe(
      "NAME     PROVIDER    LABELS\n" +
        "mail-1   xcpng       mailserver,production\n" +
        "db-10    baremetal\n",
    );
  });

  it("measures cells without colour escapes", () => {
    const style = makeStyle(true);
    const out = renderTable(
      ["a", "b"],
      [
        [style.red("x"), "y"],
        ["long", "z"],
      ],
      makeStyle(false),
    );
    const lines = out.split("\n");
    expect(lines[1]).toBe(`${style.red("x")}      y`);
    expect(lines[2]).toBe("long   z");
  });

  it("bolds the header only when colour is on", () => {
    expect(renderTable(["a"], [["1"]], makeStyle(true))).toBe("\u001b[1mA\u001b[22m\n1\n");
    expect(renderTable(["a"], [], makeStyle(false))).toBe("A\n");
  });
});

describe("cells", () => {
  it("shows <none> for missing values and joins lists with commas", () => {
    expect(cellList([])).toBe(NONE);
    expect(cellList(["a", "b"])).toBe("a,b");
    expect(cellValue(null)).toBe(NONE);
    expect(cellValue(undefined)).toBe(NONE);
    expect(cellValue("")).toBe(NONE);
    expect(cellValue(4)).toBe("4");
  });
});
