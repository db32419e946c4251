/**
 * An alert's PromQL (`condition:` and `expr:`), checked with lab's one PromQL module — the
 * Prometheus project's grammar plus the checks Prometheus makes — and located at the character
 * the problem starts at.
 */
import { CONDITION_OPERATORS, parseCondition } from "../../core/promql/condition.js";
import { parsePromql, type PromqlError } from "../../core/promql/promql.js";
import { child, type CheckContext } from "./check-context.js";
import { excerpt, positionInValue } from "./value-position.js";

function where(value: string, error: PromqlError): string {
  const at = excerpt(value, error.offset);
  return at === "" ? "at the end" : `at "${at}"`;
}

function checkCondition(ctx: CheckContext, name: string, condition: string, at: string): void {
  const parsed = parseCondition(condition);
  if (!("error" in parsed)) return;
  const { error } = parsed;
  ctx.report(
    "LAB221",
    at,
    `${name}: malformed condition "${condition}": ${error.message} (${where(condition, error)}); expected "metric OP number" (OP: ${CONDITION_OPERATORS.join(" ")}), e.g. memory_usage_percent > 90`,
    {
      at: positionInValue(ctx, at, condition, error.offset),
      fix: "write e.g. `mail_queue_length > 1000`, or use `expr:` for other PromQL",
    },
  );
}

function exprProblem(expr: string): { error: PromqlError; fix?: string } | null {
  const parsed = parsePromql(expr);
  if ("error" in parsed) return { error: parsed.error };
  const { type, selectors } = parsed.expr;
  if (type !== "vector") {
    return {
      error: { offset: 0, message: `it gives a ${type}, and an alert needs an instant vector` },
      fix: "compare a selector with a number, e.g. `rate(x[5m]) > 1`",
    };
  }
  if (selectors.length === 0) {
    return {
      error: {
        offset: 0,
        message:
          "it reads no series (no vector selector), so lab cannot restrict it to the alert's servers",
      },
      fix: "read a metric of the servers, e.g. `up == 0`",
    };
  }
  return null;
}

/** The placeholder older repos wrote where the membership matcher goes. */
const OLD_PLACEHOLDER = "LAB_SELECTOR";

function checkExpr(ctx: CheckContext, name: string, expr: string, at: string): void {
  const problem = exprProblem(expr);
  if (!problem) return;
  const old = expr.indexOf(OLD_PLACEHOLDER);
  const error = old < 0 ? problem.error : { ...problem.error, offset: old };
  const fix =
    old < 0
      ? problem.fix
      : `remove ${OLD_PLACEHOLDER}: lab puts the membership matcher into every selector itself`;
  ctx.report(
    "LAB223",
    at,
    `${name}: malformed PromQL expression: ${error.message} (${where(expr, error)})`,
    {
      at: positionInValue(ctx, at, expr, error.offset),
      fix:
        fix ?? "write PromQL that Prometheus accepts (promtool check rules reads it the same way)",
    },
  );
}

/** LAB221 for `condition:`, LAB223 for `expr:`, where the schema found nothing wrong. */
export function checkAlertPromql(
  ctx: CheckContext,
  alert: Readonly<Record<string, unknown>>,
  at: string,
): void {
  const name = typeof alert.name === "string" ? `alert ${alert.name}` : "alert";
  const condAt = child(at, "condition");
  if (typeof alert.condition === "string" && ctx.ok(condAt)) {
    checkCondition(ctx, name, alert.condition, condAt);
  }
  const exprAt = child(at, "expr");
  if (typeof alert.expr === "string" && ctx.ok(exprAt)) checkExpr(ctx, name, alert.expr, exprAt);
}
