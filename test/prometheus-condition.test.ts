/** Every condition `lab validate` accepts, the Prometheus renderer can turn into PromQL. */
import { describe, expect, it } from "vitest";
import { isCondition } from "../reconciler/validate/alert-rules.js";
import { conditionExpr, parseCondition } from "../renderers/prometheus/promql.js";

const CONDITIONS = [
  "mail_queue_length > 1000",
  "x>1",
  "up == 0",
  "temp <= -10",
  "ratio >= .5",
  "ratio < 1.",
  "big != 1e6",
  "small > 2.5E-3",
  "ns:metric:rate5m > 3",
  'disk_used{mount="/"} > 90',
  'disk_used{ mount = "/" , fstype!="tmpfs", } > 90',
  'http_errors{path="/a{b}", code=~"5.."} > 1',
  'q{a="say \\"hi\\""} > 1',
  "x{} > 1",
  "  padded  >  1  ",
  // not conditions
  "x = 1",
  "x > y",
  "rate(x[5m]) > 1",
  "x > 1 and y",
  "> 1",
  "x{a=b} > 1",
];

describe("validate and the Prometheus renderer agree on conditions", () => {
  it("parses every condition validate accepts", () => {
    const accepted = CONDITIONS.filter(isCondition);
    expect(accepted.length).toBeGreaterThan(10);
    expect(accepted.filter((c) => parseCondition(c) === null)).toEqual([]);
  });

  it("keeps the user's matchers and adds the membership matcher", () => {
    const parsed = parseCondition('q{a="say \\"hi\\""} > 1')!;
    expect(conditionExpr(parsed, "n")).toBe('q{a="say \\"hi\\"", lab_alerts=~".*,n,.*"} > 1');
    expect(conditionExpr(parseCondition("x{} > 1")!, "n")).toBe('x{lab_alerts=~".*,n,.*"} > 1');
  });
});
