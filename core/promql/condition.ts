/**
 * Conditions (`condition: metric OP number`): a subset of PromQL, parsed by the same parser and
 * then checked for that shape.
 */
import { parsePromql, type Matcher, type Promql, type PromqlError } from "./promql.js";
import { childNodes, exprChildren, textOf, type PromqlNode } from "./syntax.js";

/** The comparison operators a condition may use. */
export const CONDITION_OPERATORS = [">", "<", ">=", "<=", "==", "!="] as const;
export type ConditionOp = (typeof CONDITION_OPERATORS)[number];

const OP_NODES: Readonly<Record<string, ConditionOp>> = {
  Gtr: ">",
  Lss: "<",
  Gte: ">=",
  Lte: "<=",
  Eql: "==",
  Neq: "!=",
};

export interface Condition {
  metric: string;
  matchers: readonly Matcher[];
  op: ConditionOp;
  /** The number as written. */
  value: string;
  /** The whole condition as a parsed expression (for restrict()). */
  expr: Promql;
}

const SHAPE = `is not \`metric OP number\` (OP: ${CONDITION_OPERATORS.join(" ")})`;

function describe(node: PromqlNode): string {
  switch (node.name) {
    case "FunctionCall":
      return "a function call";
    case "AggregateExpr":
      return "an aggregation";
    case "NumberLiteral":
      return "a number";
    case "MatrixSelector":
      return "a range selector";
    case "BinaryExpr":
      return "an operation";
    default:
      return "an expression";
  }
}

function isNumber(node: PromqlNode): boolean {
  if (node.name === "NumberLiteral") return true;
  const [inner] = exprChildren(node);
  return node.name === "UnaryExpr" && inner !== undefined && inner.name === "NumberLiteral";
}

/** Words for a syntax error that a condition typically has. */
function conditionSyntax(text: string, error: PromqlError): PromqlError {
  if (text[error.offset] === "=" && !/[=~]/.test(text[error.offset + 1] ?? "")) {
    return { offset: error.offset, message: `"=" is not a comparison; did you mean "=="?` };
  }
  return error;
}

function shapeError(
  expr: Promql,
): PromqlError | { op: ConditionOp; lhs: PromqlNode; rhs: PromqlNode } {
  const root = expr.root;
  const text = expr.text;
  if (root.name !== "BinaryExpr") return { offset: root.from, message: `${SHAPE}: no comparison` };
  const [lhs, rhs] = exprChildren(root);
  const opNode = childNodes(root).find((c) => Object.hasOwn(OP_NODES, c.name));
  if (!lhs || !rhs || !opNode) {
    const op = childNodes(root).find((c) => !exprChildren(root).includes(c));
    const written = op ? textOf(text, op) : "?";
    return { offset: op?.from ?? root.from, message: `${SHAPE}: "${written}" is not a comparison` };
  }
  const extra = childNodes(root).find(
    (c) => c.name === "BoolModifier" || c.name === "MatchingModifierClause",
  );
  if (extra)
    return {
      offset: extra.from,
      message: `${SHAPE}: "${textOf(text, extra)}" has no place in a condition; use expr:`,
    };
  if (lhs.name !== "VectorSelector" || expr.selectors[0]?.metric === null) {
    return {
      offset: lhs.from,
      message: `${SHAPE}: the left side is ${describe(lhs)}, not a metric name with optional {label="value"} matchers; use expr: for other PromQL`,
    };
  }
  if (!isNumber(rhs)) {
    return {
      offset: rhs.from,
      message: `${SHAPE}: "${textOf(text, rhs)}" after ${textOf(text, opNode)} is not a number`,
    };
  }
  return { op: OP_NODES[opNode.name]!, lhs, rhs };
}

/** The condition, or why it is not one (with an offset into `text`). */
export function parseCondition(text: string): { condition: Condition } | { error: PromqlError } {
  const parsed = parsePromql(text);
  if ("error" in parsed) return { error: conditionSyntax(text, parsed.error) };
  const shape = shapeError(parsed.expr);
  if ("message" in shape) return { error: shape };
  const selector = parsed.expr.selectors[0]!;
  return {
    condition: {
      metric: selector.metric!,
      matchers: selector.matchers,
      op: shape.op,
      value: textOf(text, shape.rhs).replace(/\s+/g, ""),
      expr: parsed.expr,
    },
  };
}
