/**
 * Vector selectors: what each one selects, and a label matcher put into every one of them, as
 * prom-label-proxy does — inside ranges, subqueries, functions, aggregations and both sides of
 * binary operators, before any `offset` or `@`.
 */
import { quote, unquote } from "./strings.js";
import { childNamed, childNodes, textOf, type PromqlError, type PromqlNode } from "./syntax.js";

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface Selector {
  /** The metric name before the braces, or the value of a `__name__="…"` matcher; null if neither. */
  metric: string | null;
  matchers: readonly Matcher[];
  /** Where the selector is in the expression. */
  from: number;
  to: number;
  /** Where a matcher goes in, and what comes before and after it there. */
  insert: { at: number; before: string; after: string };
}

/** The metric name written before the braces and the matchers inside them. */
export function selectorMatchers(
  node: PromqlNode,
  text: string,
): { metric: string | null; list: Matcher[] } | PromqlError {
  const ident = childNamed(node, "Identifier");
  const list: Matcher[] = [];
  for (const m of childNodes(childNamed(node, "LabelMatchers") ?? node)) {
    if (m.name !== "LabelMatcher") continue;
    const name = childNamed(m, "LabelName");
    const op = childNamed(m, "MatchOp");
    const str = childNamed(m, "StringLiteral");
    if (!name || !op || !str) return { offset: m.from, message: "incomplete label matcher" };
    const value = unquote(textOf(text, str));
    if ("message" in value) return { offset: str.from + value.offset, message: value.message };
    list.push({ name: textOf(text, name), op: textOf(text, op) as MatchOp, value: value.value });
  }
  return { metric: ident ? textOf(text, ident) : null, list };
}

function insertPoint(node: PromqlNode, text: string): Selector["insert"] {
  const braces = childNamed(node, "LabelMatchers");
  if (!braces) return { at: node.to, before: "{", after: "}" };
  const close = braces.to - 1;
  const inside = text.slice(braces.from + 1, close);
  if (inside.trim() === "") return { at: close, before: "", after: "" };
  return { at: close, before: inside.trimEnd().endsWith(",") ? " " : ", ", after: "" };
}

/** Every vector selector of a checked tree, in text order. */
export function collectSelectors(top: PromqlNode, text: string): Selector[] {
  const out: Selector[] = [];
  top.cursor().iterate((ref) => {
    if (ref.name !== "VectorSelector") return true;
    const node = ref.node;
    const parsed = selectorMatchers(node, text);
    if (!("message" in parsed)) {
      const named = parsed.list.find((m) => m.name === "__name__" && m.op === "=");
      out.push({
        metric: parsed.metric ?? named?.value ?? null,
        matchers: parsed.list,
        from: node.from,
        to: node.to,
        insert: insertPoint(node, text),
      });
    }
    return false;
  });
  return out;
}

export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}${quote(m.value)}`;
}

/** `text` with `matchers` added to each of `selectors` (positions from the same text). */
export function injectMatchers(
  text: string,
  selectors: readonly Selector[],
  matchers: readonly Matcher[],
): string {
  const written = matchers.map(formatMatcher).join(", ");
  let out = "";
  let last = 0;
  for (const s of [...selectors].sort((a, b) => a.insert.at - b.insert.at)) {
    out += text.slice(last, s.insert.at) + s.insert.before + written + s.insert.after;
    last = s.insert.at;
  }
  return out + text.slice(last);
}
