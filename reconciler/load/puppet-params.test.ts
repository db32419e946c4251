import { describe, expect, it } from "vitest";
import { classParams } from "./puppet-params.js";

function params(code: string) {
  const after = code.indexOf(" ", code.indexOf("class ") + 6);
  return classParams(code, after)?.map((p) => [p.name, p.type, p.hasDefault]) ?? null;
}

describe("classParams", () => {
  it("reads types, names and defaults, with nested brackets, strings and comments", () => {
    expect(
      params(`class postgresql::server (
  String  $version = '16',             # a comment, with a comma
  Integer[1, 10000] $max_connections = 100,
  Optional[Hash[String, Variant[String, Integer]]] $settings = undef,
  Enum['md5', 'scram-sha-256'] $auth = 'md5',
  Pattern[/^[a-z,]+$/] $locale,
  $untyped,
  Array[String] $list = ['a,b', "c)"],
  Hash $h = { 'k' => [1, 2] },
  /* block, comment */ Boolean $flag = lookup('x', Boolean, 'first', false),
) inherits postgresql::params {
  $ignored = 1
}`),
    ).toEqual([
      ["version", "String", true],
      ["max_connections", "Integer[1, 10000]", true],
      ["settings", "Optional[Hash[String, Variant[String, Integer]]]", true],
      ["auth", "Enum['md5', 'scram-sha-256']", true],
      ["locale", "Pattern[/^[a-z,]+$/]", false],
      ["untyped", null, false],
      ["list", "Array[String]", true],
      ["h", "Hash", true],
      ["flag", "Boolean", true],
    ]);
  });

  it("is empty for a class without a parameter list", () => {
    expect(params("class ntp {\n  $x = 1\n}")).toEqual([]);
  });

  it("gives the offset of each parameter's $", () => {
    const code = "class a (\n  String $b = 'x',\n  $c,\n) {}";
    const list = classParams(code, "class a".length)!;
    expect(list.map((p) => code.slice(p.offset, p.offset + 2))).toEqual(["$b", "$c"]);
  });

  it("gives null, never a wrong list, for what it cannot read", () => {
    expect(params("class a ( String $b = [1, 2 ) {}")).toBeNull();
    expect(params("class a ( String b ) {}")).toBeNull();
    expect(params("class a ( String $b = 'x'")).toBeNull();
  });
});
