/** Alerts and secrets: durations, conditions, and condition-or-expr. */
import { CHECKS } from "../../core/check-catalog.js";
import { child, entriesOf, isRecord, type CheckContext } from "./check-context.js";

/** Prometheus durations: units largest first, each at most once, e.g. 1h30m, 90d, 500ms. */
const DURATION = /^(0|(?=\d)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;

export function isDuration(text: string): boolean {
  return text !== "" && DURATION.test(text);
}

const OPERATORS = [">=", "<=", "==", "!=", ">", "<"] as const;
const METRIC = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const MATCHER = `\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*(=~|!~|!=|=)\\s*"(?:[^"\\\\]|\\\\.)*"\\s*`;
const CONDITION = new RegExp(
  `^\\s*${METRIC}(\\{(${MATCHER}(,${MATCHER})*,?)?\\})?\\s*(>=|<=|==|!=|>|<)\\s*-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*$`,
);

export function isCondition(text: string): boolean {
  return CONDITION.test(text);
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Why a condition is malformed, in words. */
export function conditionProblem(text: string): string {
  const blanked = text.replace(/\{[^}]*\}/g, (m) => " ".repeat(m.length));
  const m = /^(.*?)(>=|<=|==|!=|=~|!~|>|<|=)(.*)$/s.exec(blanked);
  if (!m) return `no comparison operator (use one of ${OPERATORS.join(" ")})`;
  const op = m[2]!;
  if (!(OPERATORS as readonly string[]).includes(op)) {
    const hint = op === "=" ? ' (did you mean "=="?)' : "";
    return `operator "${op}" is not one of ${OPERATORS.join(" ")}${hint}`;
  }
  const left = text.slice(0, m[1]!.length).trim();
  const right = text.slice(m[1]!.length + op.length).trim();
  if (!NUMBER.test(right)) return `"${right}" after ${op} is not a number`;
  return `"${left}" is not a metric name with optional {label="value"} matchers`;
}

/**
 * Why a summary/description is not a valid Prometheus (Go text/template) annotation, or null.
 * Checks what makes Prometheus refuse a whole rule file: unclosed or empty `{{ }}` actions and
 * unterminated strings inside them (a stray `}}` in text is fine).
 */
export function templateProblem(text: string): string | null {
  let i = 0;
  for (;;) {
    const open = text.indexOf("{{", i);
    if (open === -1) return null;
    let j = open + 2;
    let quote: string | null = null;
    for (; j < text.length; j++) {
      const c = text[j]!;
      if (quote) {
        if (c === "\\" && quote !== "`") j++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "`") quote = c;
      else if (c === "}" && text[j + 1] === "}") break;
    }
    if (j >= text.length) return `"{{" at offset ${open} is never closed with "}}"`;
    const body = text
      .slice(open + 2, j)
      .replace(/^-\s|\s-$/g, "")
      .trim();
    if (!body) return `empty action "{{}}" at offset ${open}`;
    i = j + 2;
  }
}

function checkTemplate(ctx: CheckContext, value: unknown, pointer: string): void {
  if (typeof value !== "string" || !ctx.ok(pointer)) return;
  const problem = templateProblem(value);
  if (!problem) return;
  ctx.report("LAB224", pointer, `malformed template in "${value}": ${problem}`, {
    fix: 'balance every "{{" with "}}" (e.g. {{ $labels.lab_server }}), or write {{ "{{" }} for a literal "{{"',
  });
}

const DURATION_HELP = "expected e.g. 30s, 5m, 1h30m or 90d: units y w d h m s ms, largest first";

function checkDuration(ctx: CheckContext, value: unknown, pointer: string): void {
  if (typeof value !== "string" || !ctx.ok(pointer) || isDuration(value)) return;
  ctx.report("LAB220", pointer, `malformed duration "${value}" (${DURATION_HELP})`, {
    fix: /^\d+$/.test(value)
      ? `write ${value}s or ${value}m`
      : "use a Prometheus duration such as 5m",
  });
}

function checkAlert(ctx: CheckContext, alert: Readonly<Record<string, unknown>>, at: string): void {
  checkDuration(ctx, alert.for, child(at, "for"));
  checkTemplate(ctx, alert.summary, child(at, "summary"));
  checkTemplate(ctx, alert.description, child(at, "description"));
  const nameAt = child(at, "name");
  if (typeof alert.name === "string" && CHECKS.has(alert.name) && ctx.ok(nameAt)) {
    ctx.report(
      "LAB011",
      nameAt,
      `alert ${alert.name} has the name of a built-in check (the catalog defines ${alert.name}); alert names must be unique`,
      { fix: `rename it, e.g. ${alert.name}_custom` },
    );
  }
  const { condition, expr } = alert;
  const has = { condition: condition !== undefined, expr: expr !== undefined };
  const name = typeof alert.name === "string" ? `alert ${alert.name}` : "alert";
  const clean = ctx.ok(child(at, "condition")) && ctx.ok(child(at, "expr"));
  if (has.condition === has.expr && clean) {
    const what = has.condition ? "has both condition and expr" : "has neither condition nor expr";
    ctx.report("LAB222", at, `${name} ${what}; give exactly one`, {
      fix: has.condition
        ? "keep condition (metric OP number) or expr (raw PromQL), not both"
        : "add condition: metric_name > 90",
    });
  }
  const condAt = child(at, "condition");
  if (typeof condition === "string" && ctx.ok(condAt) && !isCondition(condition)) {
    ctx.report(
      "LAB221",
      condAt,
      `malformed condition "${condition}": ${conditionProblem(condition)}; expected "metric OP number", e.g. memory_usage_percent > 90`,
    );
  }
}

export function checkAlertRules(ctx: CheckContext): void {
  const alerts = ctx.repo.config.alerts as unknown;
  if (Array.isArray(alerts)) {
    alerts.forEach((alert: unknown, i) => {
      if (isRecord(alert)) checkAlert(ctx, alert, `/alerts/${i}`);
    });
  }
  for (const [path, secret] of entriesOf(ctx.repo.config.secrets)) {
    checkDuration(ctx, secret.rotate_every, child("/secrets", path, "rotate_every"));
  }
}
