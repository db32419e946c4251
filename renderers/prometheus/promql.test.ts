import { describe, expect, it } from "vitest";
import { parsePromql } from "../../core/promql/promql.js";
import { alertMatcher, commaList, memberExpr } from "./promql.js";

function parsed(text: string) {
  const p = parsePromql(text);
  if ("error" in p) throw new Error(p.error.message);
  return p.expr;
}

describe("commaList", () => {
  it("wraps every item in commas", () => {
    expect(commaList(["a", "b"])).toBe(",a,b,");
  });
  it("is a single comma when empty", () => {
    expect(commaList([])).toBe(",");
  });
});

describe("alertMatcher", () => {
  it("matches a whole comma-wrapped item", () => {
    expect(alertMatcher("high_cpu")).toEqual({
      name: "lab_alerts",
      op: "=~",
      value: ".*,high_cpu,.*",
    });
  });
  it("escapes regex metacharacters", () => {
    expect(alertMatcher("a.b").value).toBe(".*,a\\.b,.*");
  });
  it("selects exactly the lists that name the alert", () => {
    const re = new RegExp(`^${alertMatcher("high_cpu").value}$`);
    expect(
      [",high_cpu,", ",a,high_cpu,b,", ",high_cpu_x,", ",x_high_cpu,", ","].map((v) => re.test(v)),
    ).toEqual([true, true, false, false, false]);
  });
});

describe("memberExpr", () => {
  it("puts the membership matcher, then the extra ones, into every selector", () => {
    expect(
      memberExpr(parsed('a{x="1"} / b'), "r", {
        extra: [{ name: "lab_size", op: "=", value: "s" }],
      }),
    ).toBe(
      'a{x="1", lab_alerts=~".*,r,.*", lab_size="s"} / b{lab_alerts=~".*,r,.*", lab_size="s"}',
    );
  });
  it("leaves out the selectors a filter refuses", () => {
    expect(memberExpr(parsed("a * on (n) b"), "r", { where: (s) => s.metric !== "a" })).toBe(
      'a * on (n) b{lab_alerts=~".*,r,.*"}',
    );
  });
  it("writes the matcher value as a PromQL string", () => {
    expect(memberExpr(parsed("x"), "a.b")).toBe('x{lab_alerts=~".*,a\\\\.b,.*"}');
  });
});
