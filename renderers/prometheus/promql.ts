/**
 * PromQL for lab's alerts. Membership is a label on every scrape target (`lab_alerts`, a
 * comma-wrapped list of the alert names a server gets), so a rule picks its servers with one
 * matcher, `lab_alerts=~".*,high_cpu,.*"`, whatever the number of servers. The matcher goes into
 * every vector selector of the expression (core/promql), as prom-label-proxy does.
 */
import { LabError } from "../../core/errors.js";
import {
  parsePromql,
  restrict,
  type Matcher,
  type Promql,
  type Selector,
} from "../../core/promql/promql.js";

/** The target label holding the alerts (catalog checks and user alerts) a server gets. */
export const ALERTS_LABEL = "lab_alerts";

/** `,a,b,`: every item wrapped in commas so `.*,a,.*` matches a whole item. Empty: `,`. */
export function commaList(items: readonly string[]): string {
  return items.length === 0 ? "," : `,${items.join(",")},`;
}

export function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The matcher that selects the series of the servers that get alert `name`. */
export function alertMatcher(name: string): Matcher {
  return { name: ALERTS_LABEL, op: "=~", value: `.*,${regexEscape(name)},.*` };
}

/** A validated expression; failing to parse one is a bug (validate reports user input). */
export function parsedOrThrow(text: string, what: string): Promql {
  const parsed = parsePromql(text);
  if ("error" in parsed) {
    throw new LabError(
      "INTERNAL",
      `${what}: PromQL that validate accepted does not parse: ${parsed.error.message}`,
    );
  }
  return parsed.expr;
}

/**
 * `expr` restricted to the servers that get alert `name` (and to `extra` matchers, e.g. a
 * size), in every selector `where` keeps.
 */
export function memberExpr(
  expr: Promql,
  name: string,
  options: { extra?: readonly Matcher[]; where?: (s: Selector) => boolean } = {},
): string {
  return restrict(expr, [alertMatcher(name), ...(options.extra ?? [])], options.where);
}
