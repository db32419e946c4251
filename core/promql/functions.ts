/**
 * The PromQL functions of Prometheus 2.42 with their argument and return types (as in its
 * promql/parser/functions.go): the same list the grammar accepts.
 */

export type ValueType = "scalar" | "vector" | "matrix" | "string";

export interface PromqlFunction {
  args: readonly ValueType[];
  /** 0: exactly `args`; n > 0: the last argument is optional, up to n of it; -1: any number. */
  variadic: number;
  returns: ValueType;
}

const V = "vector";
const M = "matrix";
const S = "scalar";
const STR = "string";

function fn(args: readonly ValueType[], returns: ValueType = V, variadic = 0): PromqlFunction {
  return { args, variadic, returns };
}

const onVector = fn([V]);
const overTime = fn([M]);
/** day_of_month() and friends: the vector is optional (default: vector(time())). */
const clock = fn([V], V, 1);

export const FUNCTIONS: ReadonlyMap<string, PromqlFunction> = new Map<string, PromqlFunction>([
  ...(
    [
      "abs",
      "absent",
      "acos",
      "acosh",
      "asin",
      "asinh",
      "atan",
      "atanh",
      "ceil",
      "cos",
      "cosh",
      "deg",
      "exp",
      "floor",
      "histogram_count",
      "histogram_sum",
      "ln",
      "log10",
      "log2",
      "rad",
      "sgn",
      "sin",
      "sinh",
      "sort",
      "sort_desc",
      "sqrt",
      "tan",
      "tanh",
      "timestamp",
    ] as const
  ).map((name): [string, PromqlFunction] => [name, onVector]),
  ...(
    [
      "absent_over_time",
      "avg_over_time",
      "changes",
      "count_over_time",
      "delta",
      "deriv",
      "idelta",
      "increase",
      "irate",
      "last_over_time",
      "max_over_time",
      "min_over_time",
      "present_over_time",
      "rate",
      "resets",
      "stddev_over_time",
      "stdvar_over_time",
      "sum_over_time",
    ] as const
  ).map((name): [string, PromqlFunction] => [name, overTime]),
  ...(
    [
      "day_of_month",
      "day_of_week",
      "day_of_year",
      "days_in_month",
      "hour",
      "minute",
      "month",
      "year",
    ] as const
  ).map((name): [string, PromqlFunction] => [name, clock]),
  ["clamp", fn([V, S, S])],
  ["clamp_max", fn([V, S])],
  ["clamp_min", fn([V, S])],
  ["histogram_fraction", fn([S, S, V])],
  ["histogram_quantile", fn([S, V])],
  ["holt_winters", fn([M, S, S])],
  ["label_join", fn([V, STR, STR, STR], V, -1)],
  ["label_replace", fn([V, STR, STR, STR, STR])],
  ["pi", fn([], S)],
  ["predict_linear", fn([M, S])],
  ["quantile_over_time", fn([S, M])],
  ["round", fn([V, S], V, 1)],
  ["scalar", fn([V], S)],
  ["time", fn([], S)],
  ["vector", fn([S])],
]);

/** How Prometheus names a type in its messages. */
export function typeName(type: ValueType): string {
  return type === "vector" ? "instant vector" : type === "matrix" ? "range vector" : type;
}
