import { describe, expect, it } from "vitest";
import { fits, parseType } from "./puppet-types.js";

function check(type: string, value: unknown): boolean | null {
  const node = parseType(type);
  if (!node) throw new Error(`cannot parse ${type}`);
  return fits(node, value);
}

describe("Puppet data types", () => {
  it("scalars, with bounds", () => {
    expect([check("String", "x"), check("String", 1), check("String[2]", "x")]).toEqual([
      true,
      false,
      false,
    ]);
    expect([check("Integer", 3), check("Integer", 3.5), check("Integer[0, 10]", 11)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([check("Float", 3.5), check("Numeric", "1"), check("Boolean", "true")]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("Optional, Undef, NotUndef, Variant, Enum", () => {
    expect([check("Optional[String]", null), check("Optional[String]", 2)]).toEqual([true, false]);
    expect([check("Undef", null), check("NotUndef", null)]).toEqual([true, false]);
    expect([check("Variant[String, Integer]", 2), check("Variant[String, Integer]", true)]).toEqual(
      [true, false],
    );
    expect([check("Enum['a', \"b\"]", "b"), check("Enum['a', 'b']", "c")]).toEqual([true, false]);
  });

  it("collections and their items", () => {
    expect([check("Array[String]", ["a"]), check("Array[String]", ["a", 1])]).toEqual([
      true,
      false,
    ]);
    expect([check("Hash[String, Integer]", { a: 1 }), check("Hash", [1])]).toEqual([true, false]);
    expect(check("Array", {})).toBe(false);
  });

  it("types it does not know are not checked", () => {
    expect(check("Stdlib::Port", "x")).toBeNull();
    expect(check("Pattern[/^a/]", "b")).toBeNull();
    expect(check("Variant[Stdlib::Port, String]", 1)).toBeNull();
    expect(parseType("Struct[{a => String}]")).toBeNull();
  });
});
