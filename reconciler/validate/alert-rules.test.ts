import { describe, expect, it } from "vitest";
import { conditionProblem, isCondition, isDuration } from "./alert-rules.js";

describe("isDuration", () => {
  it.each(["0", "30s", "5m", "1h30m", "90d", "2w", "1y", "500ms", "1h0m0s", "1d12h"])(
    "accepts %s",
    (text) => expect(isDuration(text)).toBe(true),
  );
  it.each(["", "5", "5 min", "1x", "m", "30m1h", "1.5h", "-5m", "5mm", "1h 30m", "5M"])(
    "refuses %j",
    (text) => expect(isDuration(text)).toBe(false),
  );
});

describe("isCondition", () => {
  it.each([
    "mail_queue_length > 1000",
    "memory_usage_percent>90",
    "up == 0",
    "disk_free_ratio <= 0.1",
    "load1 >= 1e3",
    "temp != -5",
    'http_errors{code="500"} > 3',
    'node:cpu:ratio{instance=~"web.*", job!="x"} < .5',
  ])("accepts %j", (text) => expect(isCondition(text)).toBe(true));
  it.each([
    "mail_queue_length >> 1000",
    "mail_queue_length = 1000",
    "mail_queue_length > lots",
    "1000 < mail_queue_length",
    "rate(x[5m]) > 1",
    "mail queue > 1",
    "up",
    "x{code=500} > 1",
  ])("refuses %j", (text) => expect(isCondition(text)).toBe(false));
});

describe("conditionProblem", () => {
  it("says which part is wrong", () => {
    expect(conditionProblem("up")).toBe("no comparison operator (use one of >= <= == != > <)");
    expect(conditionProblem("up = 1")).toBe(
      'operator "=" is not one of >= <= == != > < (did you mean "=="?)',
    );
    expect(conditionProblem("up > lots")).toBe('"lots" after > is not a number');
    expect(conditionProblem("rate(x[5m]) > 1")).toBe(
      '"rate(x[5m])" is not a metric name with optional {label="value"} matchers',
    );
    expect(conditionProblem('x{a="1"} = 2')).toBe(
      'operator "=" is not one of >= <= == != > < (did you mean "=="?)',
    );
  });
});
