/**
 * PromQL for lab's alerts. Membership is a label on every scrape target (`lab_alerts`, a
 * comma-wrapped list of the alert names a server gets), so a rule picks its servers with one
 * matcher, `lab_alerts=~".*,high_cpu,.*"`, whatever the number of servers.
 */

/** The target label holding the alerts (catalog checks and user alerts) a server gets. */
export const ALERTS_LABEL = "lab_alerts";
/** Placeholder in catalog expressions (and raw user `expr`) for the membership matcher. */
export const SELECTOR_PLACEHOLDER = "LAB_SELECTOR";
/** The condition operators a user alert may use. */
export const CONDITION_OPERATORS = [">", "<", ">=", "<=", "==", "!="] as const;

/** `,a,b,`: every item wrapped in commas so `.*,a,.*` matches a whole item. Empty: `,`. */
export function commaList(items: readonly string[]): string {
  return items.length === 0 ? "," : `,${items.join(",")},`;
}

function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function promqlString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The matcher that selects the series of the servers that get alert `name`. */
export function alertMatcher(name: string): string {
  return `${ALERTS_LABEL}=~${promqlString(`.*,${regexEscape(name)},.*`)}`;
}

/** A catalog expression with `LAB_SELECTOR` replaced by the check's membership matcher. */
export function substituteSelector(expr: string, name: string): string {
  return expr.split(SELECTOR_PLACEHOLDER).join(alertMatcher(name));
}

export interface Condition {
  metric: string;
  /** Matchers the user wrote inside `{}`, without the braces ("" when none). */
  matchers: string;
  op: (typeof CONDITION_OPERATORS)[number];
  value: string;
}

/** Matchers may hold braces inside quoted values: `{path="/a{b}"}`. */
const CONDITION_RE =
  /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)\})?\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** Parses `metric OP number` (the metric may carry `{matchers}`); null when it is not that form. */
export function parseCondition(text: string): Condition | null {
  const m = CONDITION_RE.exec(text);
  if (!m) return null;
  return {
    metric: m[1]!,
    matchers: (m[2] ?? "").trim().replace(/,\s*$/, ""),
    op: m[3] as Condition["op"],
    value: m[4]!,
  };
}

/** `metric{<user matchers>, lab_alerts=~".*,name,.*"} OP value`. */
export function conditionExpr(condition: Condition, name: string): string {
  const matchers = [condition.matchers, alertMatcher(name)].filter((m) => m !== "").join(", ");
  return `${condition.metric}{${matchers}} ${condition.op} ${condition.value}`;
}

/**
 * A raw user expression restricted to the alert's servers: `LAB_SELECTOR` is substituted where
 * the user placed it; otherwise the result is joined on `lab_server` with the servers' `up`
 * series, so the expression must keep the `lab_server` label.
 */
export function rawExpr(expr: string, name: string): string {
  const text = expr.trim();
  if (text.includes(SELECTOR_PLACEHOLDER)) return substituteSelector(text, name);
  return `(${text}) and on (lab_server) group by (lab_server) (up{${alertMatcher(name)}})`;
}
