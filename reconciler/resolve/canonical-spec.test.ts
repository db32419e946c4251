import { describe, expect, it } from "vitest";
import { sortedDeep, sortedLabelSpec } from "./canonical-spec.js";

describe("sortedDeep", () => {
  it("sorts keys at every level, keeps list order, drops undefined", () => {
    const out = sortedDeep({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } });
    expect(JSON.stringify(out)).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});

describe("sortedLabelSpec", () => {
  it("keeps the order of a puppet_classes mapping and sorts everything else", () => {
    const spec = {
      size: "large",
      puppet_classes: { zebra: { b: 1, a: 2 }, alpha: null },
      alerts: ["x"],
    };
    expect(JSON.stringify(sortedLabelSpec(spec))).toBe(
      '{"alerts":["x"],"puppet_classes":{"zebra":{"a":2,"b":1},"alpha":null},"size":"large"}',
    );
  });

  it("keeps a puppet_classes list as it is", () => {
    expect(sortedLabelSpec({ puppet_classes: ["b", "a"] })).toEqual({ puppet_classes: ["b", "a"] });
  });
});
