import { describe, expect, it } from "vitest";
import { renderTree, section } from "./tree.js";

describe("renderTree", () => {
  it("draws siblings with ├── and the last with └──, nesting with │", () => {
    const lines = renderTree(
      [
        { text: "a", children: [{ text: "a1" }, { text: "a2" }] },
        { text: "b", children: [{ text: "b1" }] },
      ],
      "  ",
    );
    expect(lines).toEqual(["  ├── a", "  │   ├── a1", "  │   └── a2", "  └── b", "      └── b1"]);
  });

  it("gives nothing for no nodes; a section says none", () => {
    expect(renderTree([])).toEqual([]);
    expect(section("Excluded:", [])).toEqual(["Excluded: none"]);
    expect(section("Excluded:", [{ text: "x" }])).toEqual(["Excluded:", "  └── x"]);
  });
});
