/**
 * The checks Prometheus's parser makes after the grammar (promql/parser/parse.go `checkAST`):
 * value types of operands and arguments, argument counts, modifiers in their places, selectors
 * that select something. An expression that passes is one Prometheus 2.42 loads.
 */
import type { Ast, Postfix } from "./ast.js";
import { FUNCTIONS, typeName, type ValueType } from "./functions.js";
import { selectorMatchers } from "./selectors.js";
import { childNamed, childNodes, textOf, type PromqlError, type PromqlNode } from "./syntax.js";

export type Checked = ValueType | PromqlError;

const COMPARISONS = new Set(["Eql", "Neq", "Gtr", "Lss", "Gte", "Lte"]);
const SET_OPS = new Set(["And", "Or", "Unless"]);
/** Prometheus durations: units largest first, each at most once. */
const DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

function problem(at: { from: number }, message: string): PromqlError {
  return { offset: at.from, message };
}

export function isProblem(c: Checked): c is PromqlError {
  return typeof c !== "string";
}

function expectType(at: Ast, got: ValueType, want: ValueType, where: string): PromqlError | null {
  if (got === want) return null;
  return problem(at, `expected type ${typeName(want)} in ${where}, got ${typeName(got)}`);
}

function checkDurations(node: PromqlNode, text: string): PromqlError | null {
  for (const d of childNodes(node).filter((c) => c.name === "Duration")) {
    const written = textOf(text, d);
    if (!DURATION.test(written)) {
      return problem(d, `"${written}" is not a duration (units y w d h m s ms, largest first)`);
    }
  }
  return null;
}

function matchesEmpty(op: string, value: string): boolean {
  if (op === "=") return value === "";
  if (op === "!=") return value !== "";
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${value})$`);
  } catch {
    return false;
  }
  return op === "=~" ? re.test("") : !re.test("");
}

function checkSelector(ast: Ast, text: string): Checked {
  const matchers = selectorMatchers(ast.node, text);
  if ("message" in matchers) return matchers;
  const { metric, list } = matchers;
  if (metric !== null && list.some((m) => m.name === "__name__")) {
    return problem(ast, `metric name must not be set twice: "${metric}" and __name__`);
  }
  if (metric === null && !list.some((m) => !matchesEmpty(m.op, m.value))) {
    return problem(
      ast,
      "a vector selector needs a metric name or a matcher that does not match the empty string",
    );
  }
  return "vector";
}

function checkArgs(list: readonly Ast[], text: string): ValueType[] | PromqlError {
  const types: ValueType[] = [];
  for (const arg of list) {
    const t = checkAst(arg, text);
    if (isProblem(t)) return t;
    types.push(t);
  }
  return types;
}

function checkCall(ast: Extract<Ast, { kind: "call" }>, text: string): Checked {
  const def = FUNCTIONS.get(ast.name);
  if (!def) return problem(ast, `unknown function "${ast.name}"`);
  const n = ast.args.length;
  const min = def.variadic === 0 ? def.args.length : def.args.length - 1;
  const max = def.variadic === 0 ? min : def.variadic < 0 ? Infinity : min + def.variadic;
  if (n < min || n > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    return problem(ast, `${ast.name}() takes ${want} argument(s), got ${n}`);
  }
  const types = checkArgs(ast.args, text);
  if (!Array.isArray(types)) return types;
  for (const [i, arg] of ast.args.entries()) {
    const want = def.args[Math.min(i, def.args.length - 1)]!;
    const bad = expectType(arg, types[i]!, want, `call to function "${ast.name}"`);
    if (bad) return bad;
  }
  return def.returns;
}

function checkAggregate(ast: Extract<Ast, { kind: "aggregate" }>, text: string): Checked {
  const { op } = ast;
  const param = ["topk", "bottomk", "quantile"].includes(op)
    ? "scalar"
    : op === "count_values"
      ? "string"
      : null;
  const want = param ? 2 : 1;
  if (ast.args.length !== want) {
    return problem(ast, `${op}() takes ${want} argument(s), got ${ast.args.length}`);
  }
  const types = checkArgs(ast.args, text);
  if (!Array.isArray(types)) return types;
  if (param) {
    const bad = expectType(ast.args[0]!, types[0]!, param, "aggregation parameter");
    if (bad) return bad;
  }
  return (
    expectType(ast.args.at(-1)!, types.at(-1)!, "vector", "aggregation expression") ?? "vector"
  );
}

interface Matching {
  on: boolean;
  /** The labels of on() or ignoring(). */
  labels: string[];
  /** The labels of group_left() or group_right(). */
  group: string[];
  grouping: PromqlNode | null;
}

function matching(clause: PromqlNode, text: string): Matching {
  const lists = childNodes(clause).filter((c) => c.name === "GroupingLabels");
  const names = (n: PromqlNode | undefined) =>
    n
      ? childNodes(n)
          .filter((c) => c.name === "LabelName")
          .map((c) => textOf(text, c))
      : [];
  return {
    on: childNamed(clause, "On") !== null,
    labels: names(lists[0]),
    group: names(lists[1]),
    grouping: childNamed(clause, "GroupLeft") ?? childNamed(clause, "GroupRight"),
  };
}

function checkMatching(clause: PromqlNode, text: string, op: PromqlNode, scalarSide: boolean) {
  const { on, labels, group, grouping } = matching(clause, text);
  if (scalarSide && labels.length > 0) {
    return problem(clause, "vector matching applies between instant vectors only");
  }
  if (grouping && SET_OPS.has(op.name)) {
    return problem(grouping, `no grouping allowed for "${textOf(text, op)}"`);
  }
  const both = on ? labels.find((l) => group.includes(l)) : undefined;
  if (both !== undefined) {
    return problem(
      clause,
      `label "${both}" must not occur in on() and in the group clause at once`,
    );
  }
  return null;
}

function checkBinary(ast: Extract<Ast, { kind: "binary" }>, text: string): Checked {
  const lt = checkAst(ast.lhs, text);
  if (isProblem(lt)) return lt;
  const rt = checkAst(ast.rhs, text);
  if (isProblem(rt)) return rt;
  const { op } = ast;
  const opText = textOf(text, op);
  if (ast.bool && !COMPARISONS.has(op.name)) {
    return problem(op, `bool applies to comparisons only, not to "${opText}"`);
  }
  for (const [side, t] of [
    [ast.lhs, lt],
    [ast.rhs, rt],
  ] as const) {
    if (t !== "scalar" && t !== "vector") {
      return problem(
        side,
        `a binary expression takes scalars and instant vectors, not a ${typeName(t)}`,
      );
    }
  }
  const scalars = lt === "scalar" && rt === "scalar";
  const scalarSide = lt === "scalar" || rt === "scalar";
  if (COMPARISONS.has(op.name) && !ast.bool && scalars) {
    return problem(op, "a comparison between two scalars needs the bool modifier");
  }
  if (SET_OPS.has(op.name) && scalarSide) {
    return problem(op, `"${opText}" works between instant vectors only`);
  }
  const bad = ast.clause ? checkMatching(ast.clause, text, op, scalarSide) : null;
  return bad ?? (scalars ? "scalar" : "vector");
}

const MODIFIER_WORD: Readonly<Record<string, string>> = { offset: "offset", at: "@" };

/** Offset and @ apply to selectors and subqueries, each at most once. */
function checkModifier(ast: Extract<Ast, { kind: Postfix }>, text: string): Checked {
  const what = MODIFIER_WORD[ast.kind]!;
  const other = ast.kind === "offset" ? "at" : "offset";
  const inner = ast.expr;
  const target = inner.kind === other ? inner.expr : inner;
  if (inner.kind === ast.kind || target.kind === ast.kind) {
    return problem(ast, `${what} may not be set twice on one selector`);
  }
  if (!["selector", "range", "subquery"].includes(target.kind)) {
    return problem(ast, `${what} must follow a vector selector, a range selector or a subquery`);
  }
  return checkDurations(ast.node, text) ?? checkAst(inner, text);
}

function checkRange(ast: Extract<Ast, { kind: Postfix }>, text: string): Checked {
  if (ast.kind === "range" && ast.expr.kind !== "selector") {
    return problem(
      ast,
      "a range [..] applies to a vector selector only (use a subquery [..:] otherwise)",
    );
  }
  const t = checkAst(ast.expr, text);
  if (isProblem(t)) return t;
  if (ast.kind === "subquery" && t !== "vector") {
    return problem(ast, `a subquery applies to an instant vector, not to a ${typeName(t)}`);
  }
  return checkDurations(ast.node, text) ?? "matrix";
}

/** The value type of an expression, or the first problem in it. */
export function checkAst(ast: Ast, text: string): Checked {
  switch (ast.kind) {
    case "number":
      return "scalar";
    case "string":
      return "string";
    case "selector":
      return checkSelector(ast, text);
    case "call":
      return checkCall(ast, text);
    case "aggregate":
      return checkAggregate(ast, text);
    case "binary":
      return checkBinary(ast, text);
    case "paren":
      return checkAst(ast.expr, text);
    case "unary": {
      const t = checkAst(ast.expr, text);
      if (isProblem(t) || t === "scalar" || t === "vector") return t;
      return problem(
        ast,
        `a unary sign applies to scalars and instant vectors, not to a ${typeName(t)}`,
      );
    }
    case "offset":
    case "at":
      return checkModifier(ast, text);
    default:
      return checkRange(ast, text);
  }
}
