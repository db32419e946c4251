import { describe, expect, it } from "vitest";
import { sortedDeep } from "./sorted-deep.js";

describe("sortedDeep", () => {
  it("sorts keys at every level and keeps list order", () => {
    const out = sortedDeep({ b: { d: 1, c: [{ z: 1, y: 2 }] }, a: null });
    expect(JSON.stringify(out)).toBe('{"a":null,"b":{"c":[{"y":2,"z":1}],"d":1}}');
  });

  it("keeps __proto__ as an own key, at any depth, without touching the prototype", () => {
    const input = JSON.parse('{"x":{"__proto__":{"polluted":true},"a":1}}') as object;
    const out = sortedDeep(input) as { x: Record<string, unknown> };
    expect(Object.keys(out.x)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(out.x)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"x":{"__proto__":{"polluted":true},"a":1}}');
  });

  it("drops keys of undefined values and copies (never shares) containers", () => {
    const inner = { k: 1 };
    const out = sortedDeep({ a: undefined, b: inner });
    expect(out).toEqual({ b: { k: 1 } });
    expect(out.b).not.toBe(inner);
  });
});
