/**
 * lezer's PromQL tree as a small AST with Prometheus's precedence. The grammar attaches the
 * postfix modifiers — a range `[5m]`, a subquery `[5m:1m]`, `offset`, `@` — to a whole binary
 * or unary expression before them (`x - x offset 1h` reads as `(x - x) offset 1h`); Prometheus
 * applies them to the operand right before them (`x - (x offset 1h)`), so they are moved there.
 */
import { childNamed, childNodes, exprChildren, textOf, type PromqlNode } from "./syntax.js";

export type Postfix = "range" | "subquery" | "offset" | "at";

export type Ast =
  | { kind: "number" | "string" | "selector"; node: PromqlNode; from: number }
  | { kind: "call"; name: string; args: Ast[]; node: PromqlNode; from: number }
  | { kind: "aggregate"; op: string; args: Ast[]; node: PromqlNode; from: number }
  | {
      kind: "binary";
      lhs: Ast;
      rhs: Ast;
      /** The operator's node (its name: Add, Gtr, And …). */
      op: PromqlNode;
      bool: boolean;
      clause: PromqlNode | null;
      node: PromqlNode;
      from: number;
    }
  | { kind: "unary" | "paren"; expr: Ast; node: PromqlNode; from: number }
  | { kind: Postfix; expr: Ast; node: PromqlNode; from: number };

const POSTFIX: Readonly<Record<string, Postfix>> = {
  MatrixSelector: "range",
  SubqueryExpr: "subquery",
  OffsetExpr: "offset",
  StepInvariantExpr: "at",
};

/** A postfix modifier applied to the operand right before it. */
function attach(kind: Postfix, expr: Ast, node: PromqlNode): Ast {
  if (expr.kind === "binary") return { ...expr, rhs: attach(kind, expr.rhs, node) };
  if (expr.kind === "unary") return { ...expr, expr: attach(kind, expr.expr, node) };
  return { kind, expr, node, from: expr.from };
}

function args(node: PromqlNode, text: string): Ast[] {
  return exprChildren(childNamed(node, "FunctionCallBody") ?? node).map((a) => toAst(a, text));
}

const OPERATOR = /^(Pow|Mul|Div|Mod|Add|Sub|Eql|Gte|Gtr|Lte|Lss|Neq|And|Or|Unless|Atan2)$/;

export function toAst(node: PromqlNode, text: string): Ast {
  const from = node.from;
  const postfix = POSTFIX[node.name];
  if (postfix) return attach(postfix, toAst(exprChildren(node)[0]!, text), node);
  switch (node.name) {
    case "NumberLiteral":
      return { kind: "number", node, from };
    case "StringLiteral":
      return { kind: "string", node, from };
    case "VectorSelector":
      return { kind: "selector", node, from };
    case "FunctionCall": {
      const ident = childNamed(node, "FunctionIdentifier");
      return {
        kind: "call",
        name: ident ? textOf(text, ident) : "",
        args: args(node, text),
        node,
        from,
      };
    }
    case "AggregateExpr": {
      const op = childNamed(node, "AggregateOp");
      return {
        kind: "aggregate",
        op: op ? textOf(text, op) : "",
        args: args(node, text),
        node,
        from,
      };
    }
    case "BinaryExpr": {
      const [lhs, rhs] = exprChildren(node);
      const op = childNodes(node).find((c) => OPERATOR.test(c.name))!;
      return {
        kind: "binary",
        lhs: toAst(lhs!, text),
        rhs: toAst(rhs!, text),
        op,
        bool: childNamed(node, "BoolModifier") !== null,
        clause: childNamed(node, "MatchingModifierClause"),
        node,
        from,
      };
    }
    case "UnaryExpr":
      return { kind: "unary", expr: toAst(exprChildren(node)[0]!, text), node, from };
    default: // ParenExpr
      return { kind: "paren", expr: toAst(exprChildren(node)[0]!, text), node, from };
  }
}
