/**
 * The PromQL syntax tree, from the Prometheus project's own grammar (`@prometheus-io/lezer-promql`
 * 0.42, the grammar of Prometheus 2.42 that lab's rules are checked against), and the first
 * syntax error in it as an offset and words.
 */
import { parser } from "@prometheus-io/lezer-promql";

/** A node of the syntax tree (lezer's SyntaxNode). */
export type PromqlNode = ReturnType<typeof parser.parse>["topNode"];

/** A problem in an expression: `offset` counts UTF-16 units from the start of the text. */
export interface PromqlError {
  offset: number;
  message: string;
}

/** The nodes that are expressions (everything else is a token, a modifier or a clause). */
export const EXPR_NODES: ReadonlySet<string> = new Set([
  "AggregateExpr",
  "BinaryExpr",
  "FunctionCall",
  "MatrixSelector",
  "NumberLiteral",
  "OffsetExpr",
  "ParenExpr",
  "StepInvariantExpr",
  "StringLiteral",
  "SubqueryExpr",
  "UnaryExpr",
  "VectorSelector",
]);

export function childNodes(node: PromqlNode): PromqlNode[] {
  const out: PromqlNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

export function exprChildren(node: PromqlNode): PromqlNode[] {
  return childNodes(node).filter((c) => EXPR_NODES.has(c.name));
}

export function childNamed(node: PromqlNode, name: string): PromqlNode | null {
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === name) return c;
  return null;
}

export function textOf(text: string, node: PromqlNode): string {
  return text.slice(node.from, node.to);
}

/** The word or character at `offset`, for messages. */
function tokenAt(text: string, offset: number): string {
  const word = /^(?:[A-Za-z_:][A-Za-z0-9_:]*|[0-9][0-9A-Za-z.]*|"(?:[^"\\]|\\.)*"?|\S)/.exec(
    text.slice(offset),
  );
  return word ? word[0] : "";
}

function firstError(top: PromqlNode): PromqlNode | null {
  let found: PromqlNode | null = null;
  top.cursor().iterate((ref) => {
    if (found) return false;
    if (ref.type.isError) {
      found = ref.node;
      return false;
    }
    return true;
  });
  return found;
}

/** An identifier followed by "(" where the grammar wanted something else: an unknown function. */
function unknownFunction(text: string, offset: number): string | null {
  const before = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(0, offset));
  if (before && text[offset] === "(") return before[1]!;
  const here = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(text.slice(offset));
  return here ? here[1]! : null;
}

function syntaxError(text: string, node: PromqlNode): PromqlError {
  // An empty error node at the end: the expression stops too early.
  let offset = node.from;
  while (offset < text.length && /\s/.test(text[offset]!)) offset++;
  if (offset >= text.length) {
    return { offset: text.trimEnd().length, message: "the expression ends too early" };
  }
  const fn = unknownFunction(text, offset);
  if (fn !== null) {
    const start = text.lastIndexOf(fn, offset + fn.length);
    return { offset: start >= 0 ? start : offset, message: `unknown function "${fn}"` };
  }
  return { offset, message: `unexpected ${JSON.stringify(tokenAt(text, offset))}` };
}

/** The syntax tree's top node (`PromQL`), or the first syntax error. */
export function parseTree(text: string): { top: PromqlNode } | { error: PromqlError } {
  if (text.trim() === "") return { error: { offset: 0, message: "the expression is empty" } };
  const top = parser.parse(text).topNode;
  const bad = firstError(top);
  if (bad) return { error: syntaxError(text, bad) };
  return { top };
}
