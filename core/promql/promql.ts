/**
 * lab's one PromQL module, on the Prometheus project's own grammar: parse an expression (with
 * the checks Prometheus makes after the grammar), list the selectors and metrics it reads, and
 * restrict it to a set of series by putting a label matcher into every vector selector.
 * validate (`condition:`, `expr:`) and the Prometheus renderer both use it, and nothing else.
 */
import { toAst } from "./ast.js";
import { checkAst, isProblem } from "./check-types.js";
import type { ValueType } from "./functions.js";
import { collectSelectors, injectMatchers, type Matcher, type Selector } from "./selectors.js";
import { exprChildren, parseTree, type PromqlError, type PromqlNode } from "./syntax.js";

export type { Matcher, MatchOp, Selector } from "./selectors.js";
export type { PromqlError } from "./syntax.js";
export type { ValueType } from "./functions.js";

/** A parsed, checked expression. */
export interface Promql {
  text: string;
  /** What it evaluates to. */
  type: ValueType;
  /** Its vector selectors (inside ranges and subqueries too), in text order. */
  selectors: readonly Selector[];
  /** The expression node under the tree's top. */
  root: PromqlNode;
}

export type Parsed = { expr: Promql } | { error: PromqlError };

/** Parses and checks `text` as Prometheus 2.42 would; the first problem has an offset into `text`. */
export function parsePromql(text: string): Parsed {
  const tree = parseTree(text);
  if ("error" in tree) return tree;
  const [root, extra] = exprChildren(tree.top);
  if (!root) return { error: { offset: 0, message: "the expression is empty" } };
  if (extra)
    return {
      error: { offset: extra.from, message: "two expressions without an operator between them" },
    };
  const type = checkAst(toAst(root, text), text);
  if (isProblem(type)) return { error: type };
  return { expr: { text, type, selectors: collectSelectors(tree.top, text), root } };
}

/** The metric names the expression reads, sorted, each once (selectors without a name give none). */
export function metricNames(expr: Promql): string[] {
  const names = new Set<string>();
  for (const s of expr.selectors) if (s.metric !== null) names.add(s.metric);
  return [...names].sort();
}

/**
 * The expression with `matchers` (one or several) in every vector selector for which `where`
 * holds (all of them by default); the rest of the text is kept as written.
 */
export function restrict(
  expr: Promql,
  matchers: Matcher | readonly Matcher[],
  where: (s: Selector) => boolean = () => true,
): string {
  const list = Array.isArray(matchers) ? matchers : [matchers as Matcher];
  return injectMatchers(expr.text, expr.selectors.filter(where), list);
}
