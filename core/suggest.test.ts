import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, hintFor, suggest } from "./suggest.js";

describe("suggest", () => {
  it("keeps only the closest candidates", () => {
    expect(suggest("wrker-5", ["worker-5", "worker-3", "db-1"])).toEqual(["worker-5"]);
    expect(suggest("prdo", ["prod", "dev", "staging"])).toEqual(["prod"]);
  });

  it("gives ties in name order, at most three", () => {
    expect(suggest("ab", ["ax", "xb", "zz"])).toEqual(["ax", "xb"]);
    expect(suggest("a", ["b", "c", "d", "e"])).toEqual(["b", "c", "d"]);
  });

  it("finds nothing for names far from every candidate", () => {
    expect(suggest("mailserver", ["db", "web"])).toEqual([]);
  });

  it("counts a transposition as one edit", () => {
    expect(editDistance("prdo", "prod")).toBe(1);
  });
});

describe("hintFor and didYouMean", () => {
  it("quotes every suggestion and joins the last with or", () => {
    expect(hintFor([])).toBe("");
    expect(hintFor(["prod"])).toBe(' (did you mean "prod"?)');
    expect(hintFor(["a", "b", "c"])).toBe(' (did you mean "a", "b" or "c"?)');
    expect(didYouMean("smal", ["small", "large"])).toBe(' (did you mean "small"?)');
  });
});
