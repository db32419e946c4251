import { describe, expect, it } from "vitest";
import {
  alertMatcher,
  commaList,
  conditionExpr,
  parseCondition,
  rawExpr,
  substituteSelector,
} from "./promql.js";

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
    expect(alertMatcher("high_cpu")).toBe('lab_alerts=~".*,high_cpu,.*"');
  });
  it("escapes regex and string metacharacters", () => {
    expect(alertMatcher("a.b")).toBe('lab_alerts=~".*,a\\\\.b,.*"');
  });
  it("selects exactly the lists that name the alert", () => {
    const re = /^.*,high_cpu,.*$/;
    expect(
      [",high_cpu,", ",a,high_cpu,b,", ",high_cpu_x,", ",x_high_cpu,", ","].map((v) => re.test(v)),
    ).toEqual([true, true, false, false, false]);
  });
});

describe("substituteSelector", () => {
  it("replaces every LAB_SELECTOR", () => {
    expect(substituteSelector('a{LAB_SELECTOR} / b{x="1", LAB_SELECTOR}', "c")).toBe(
      'a{lab_alerts=~".*,c,.*"} / b{x="1", lab_alerts=~".*,c,.*"}',
    );
  });
});

describe("parseCondition", () => {
  it("reads metric OP number", () => {
    expect(parseCondition("mail_queue_length > 1000")).toEqual({
      metric: "mail_queue_length",
      matchers: "",
      op: ">",
      value: "1000",
    });
  });
  it("reads matchers, two-character operators, decimals and exponents", () => {
    expect(parseCondition(' disk_used{mount="/", } >= 9.5e1 ')).toEqual({
      metric: "disk_used",
      matchers: 'mount="/"',
      op: ">=",
      value: "9.5e1",
    });
    expect(parseCondition("up==0")?.op).toBe("==");
    expect(parseCondition('http_errors{path="/a{b}", code=~"5.."} > 1')?.matchers).toBe(
      'path="/a{b}", code=~"5.."',
    );
    expect(parseCondition("x != -1")?.value).toBe("-1");
  });
  it("refuses anything else", () => {
    for (const bad of [
      "x > y",
      "x = 1",
      "rate(x[5m]) > 1",
      "x >",
      "> 1",
      "x > 1 and y",
      "9x > 1",
    ]) {
      expect(parseCondition(bad), bad).toBeNull();
    }
  });
});

describe("conditionExpr", () => {
  it("adds the membership matcher to the metric", () => {
    expect(conditionExpr(parseCondition("mail_queue_length > 1000")!, "mq")).toBe(
      'mail_queue_length{lab_alerts=~".*,mq,.*"} > 1000',
    );
    expect(conditionExpr(parseCondition('disk_used{mount="/"} > 90')!, "d")).toBe(
      'disk_used{mount="/", lab_alerts=~".*,d,.*"} > 90',
    );
  });
});

describe("rawExpr", () => {
  it("substitutes LAB_SELECTOR where the user put it", () => {
    expect(rawExpr(" rate(x{LAB_SELECTOR}[5m]) > 1\n", "r")).toBe(
      'rate(x{lab_alerts=~".*,r,.*"}[5m]) > 1',
    );
  });
  it("otherwise joins on lab_server with the members' up series", () => {
    expect(rawExpr("max by (lab_server) (x) > 1", "r")).toBe(
      '(max by (lab_server) (x) > 1) and on (lab_server) group by (lab_server) (up{lab_alerts=~".*,r,.*"})',
    );
  });
});
