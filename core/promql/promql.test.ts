import { describe, expect, it } from "vitest";
import { metricNames, parsePromql, restrict, type Matcher } from "./promql.js";

const M: Matcher = { name: "lab_alerts", op: "=~", value: ".*,a,.*" };
const IN = 'lab_alerts=~".*,a,.*"';

function restricted(text: string): string {
  const parsed = parsePromql(text);
  if ("error" in parsed) throw new Error(`${text}: ${parsed.error.message}`);
  return restrict(parsed.expr, M);
}

function errorOf(text: string): [number, string] | null {
  const parsed = parsePromql(text);
  return "error" in parsed ? [parsed.error.offset, parsed.error.message] : null;
}

describe("restrict: the matcher goes into every vector selector", () => {
  it.each([
    ["up == 0", `up{${IN}} == 0`],
    ['x{a="b"} > 1', `x{a="b", ${IN}} > 1`],
    ['x{a="b",} > 1', `x{a="b", ${IN}} > 1`],
    ["x{} > 1", `x{${IN}} > 1`],
    ['{__name__="x"}', `{__name__="x", ${IN}}`],
    ["sum by (instance) (rate(x[5m])) > 1", `sum by (instance) (rate(x{${IN}}[5m])) > 1`],
    [
      "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m]))) > 0.5",
      `histogram_quantile(0.99, sum by (le) (rate(h_bucket{${IN}}[5m]))) > 0.5`,
    ],
    ['absent(up{job="x"})', `absent(up{job="x", ${IN}})`],
    ["a / on (instance) group_left (b) c", `a{${IN}} / on (instance) group_left (b) c{${IN}}`],
    ["x - x offset 1h > 5", `x{${IN}} - x{${IN}} offset 1h > 5`],
    ["max_over_time(x[10m:1m] @ end()) > 1", `max_over_time(x{${IN}}[10m:1m] @ end()) > 1`],
    ["rate(x[5m] offset 5m) > 0", `rate(x{${IN}}[5m] offset 5m) > 0`],
    [
      "sum(rate(a[5m])) / sum(rate(b[5m])) > 0.1",
      `sum(rate(a{${IN}}[5m])) / sum(rate(b{${IN}}[5m])) > 0.1`,
    ],
    ["x + ignoring(a) y", `x{${IN}} + ignoring(a) y{${IN}}`],
    ["x / x offset 1d > 2", `x{${IN}} / x{${IN}} offset 1d > 2`],
    ["x and on() y", `x{${IN}} and on() y{${IN}}`],
    ["x # a comment", `x{${IN}} # a comment`],
    ["max by (x) (\n  y\n) > 1\n", `max by (x) (\n  y{${IN}}\n) > 1\n`],
    [
      'label_replace(up, "n", "$1", "lab_server", "(.*)")',
      `label_replace(up{${IN}}, "n", "$1", "lab_server", "(.*)")`,
    ],
  ])("%j", (text, want) => {
    expect(restricted(text)).toBe(want);
  });

  it("restricts only the selectors a filter keeps", () => {
    const parsed = parsePromql("a * on (n) b");
    if ("error" in parsed) throw new Error(parsed.error.message);
    expect(restrict(parsed.expr, M, (s) => s.metric === "b")).toBe(`a * on (n) b{${IN}}`);
  });

  it("escapes the value as a PromQL string", () => {
    const parsed = parsePromql("x");
    if ("error" in parsed) throw new Error(parsed.error.message);
    expect(restrict(parsed.expr, { name: "l", op: "=", value: 'say "hi" \\ ok' })).toBe(
      'x{l="say \\"hi\\" \\\\ ok"}',
    );
  });
});

describe("metricNames", () => {
  it("lists every metric read, sorted, once, from __name__ matchers too", () => {
    const parsed = parsePromql(
      'b / a + on() group_left sum(rate({__name__="c"}[5m])) + b offset 1m + {job="x"}',
    );
    if ("error" in parsed) throw new Error(parsed.error.message);
    expect(metricNames(parsed.expr)).toEqual(["a", "b", "c"]);
  });
});

describe("parsePromql: types", () => {
  it.each([
    ["up", "vector"],
    ["1 + 2", "scalar"],
    ["x[5m]", "matrix"],
    ["x[5m:]", "matrix"],
    ['"s"', "string"],
    ["scalar(x) * 2", "scalar"],
    ["time() - x", "vector"],
  ])("%j is a %s", (text, type) => {
    const parsed = parsePromql(text);
    expect("expr" in parsed ? parsed.expr.type : parsed.error.message).toBe(type);
  });
});

describe("parsePromql: what Prometheus refuses, with the offset of the problem", () => {
  it.each([
    ["", 0, "the expression is empty"],
    ["x >", 3, "the expression ends too early"],
    ["sum(rate(x[5m])", 15, "the expression ends too early"],
    ["x y", 2, 'unexpected "y"'],
    ["foo(x) > 1", 0, 'unknown function "foo"'],
    ["up > 1 and foo(x)", 11, 'unknown function "foo"'],
    ["rate(x) > 1", 5, 'expected type range vector in call to function "rate", got instant vector'],
    ["sum(x[5m])", 4, "expected type instant vector in aggregation expression, got range vector"],
    ["topk(x, 3)", 5, "expected type scalar in aggregation parameter, got instant vector"],
    ["count_values(1, x)", 13, "expected type string in aggregation parameter, got scalar"],
    ["round(x, 1, 2)", 0, "round() takes 1 to 2 argument(s), got 3"],
    ["time(1)", 0, "time() takes 0 argument(s), got 1"],
    ['label_replace(x, "a")', 0, "label_replace() takes 5 argument(s), got 2"],
    ["1 > 2", 2, "a comparison between two scalars needs the bool modifier"],
    ["x and 1", 2, '"and" works between instant vectors only'],
    ["x + bool y", 2, 'bool applies to comparisons only, not to "+"'],
    ["x[5m] > 1", 0, "a binary expression takes scalars and instant vectors, not a range vector"],
    ["x and on (a) group_left y", 13, 'no grouping allowed for "and"'],
    [
      "x / on (a) group_left (a) y",
      4,
      'label "a" must not occur in on() and in the group clause at once',
    ],
    ["1 + on (a) x", 4, "vector matching applies between instant vectors only"],
    ["-x[5m]", 0, "a unary sign applies to scalars and instant vectors, not to a range vector"],
    ["x - x[5m]", 4, "a binary expression takes scalars and instant vectors, not a range vector"],
    [
      "rate(x)[5m]",
      0,
      "a range [..] applies to a vector selector only (use a subquery [..:] otherwise)",
    ],
    ["x[5m][10m:]", 0, "a subquery applies to an instant vector, not to a range vector"],
    ["x offset 1m offset 2m", 0, "offset may not be set twice on one selector"],
    ["x @ 1 @ 2", 0, "@ may not be set twice on one selector"],
    ["1 offset 5m", 0, "offset must follow a vector selector, a range selector or a subquery"],
    ["sum(x) @ 5", 0, "@ must follow a vector selector, a range selector or a subquery"],
    ["x[1m5h]", 4, 'unexpected "5h"'],
    [
      '{a=""}',
      0,
      "a vector selector needs a metric name or a matcher that does not match the empty string",
    ],
    [
      '{a=~".*"}',
      0,
      "a vector selector needs a metric name or a matcher that does not match the empty string",
    ],
    ['x{__name__="y"}', 0, 'metric name must not be set twice: "x" and __name__'],
    ['x{a="\\q"}', 5, 'unknown escape "\\q" in a string'],
  ])("%j", (text, offset, message) => {
    expect(errorOf(text)).toEqual([offset, message]);
  });

  it.each([
    'x{a=~"b.*", c!~"d", e!=""}',
    '{job="x"}',
    'x{a="\\u00e9\\x41\\101"}',
    "x{a=`raw\\`}",
    "x offset -5m",
    "x @ start()",
    "x[5m] offset 1m @ 100",
    "x @ 100 offset 1m",
    "day_of_week()",
    "day_of_week(x)",
    'label_join(x, "d", ",", "a", "b", "c")',
    "holt_winters(x[1h], 0.5, 0.5)",
    "0x1F < bool -Inf",
    "x - x offset 1h > 5",
    "-x offset 1m",
    "x - x @ 100 > 0",
    "x > bool 1",
    "1 + on () x",
    "topk(3, x)",
    'count_values("v", x)',
    "quantile(0.9, x) by (a)",
    "sum without (a) (x)",
  ])("accepts %j", (text) => {
    expect(errorOf(text)).toBeNull();
  });
});
