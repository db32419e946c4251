/** Alerts and secrets: durations, templates, names, condition-or-expr, and their PromQL. */
import { catalogAlertOwner } from "../../core/check-catalog.js";
import { child, entriesOf, isRecord, type CheckContext } from "./check-context.js";
import { checkAlertPromql } from "./promql-rules.js";

/** Prometheus durations: units largest first, each at most once, e.g. 1h30m, 90d, 500ms. */
const DURATION = /^(0|(?=\d)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;

export function isDuration(text: string): boolean {
  return text !== "" && DURATION.test(text);
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
  const owner = typeof alert.name === "string" ? catalogAlertOwner(alert.name) : null;
  if (owner !== null && ctx.ok(nameAt)) {
    const what =
      owner === alert.name
        ? `the name of a built-in check (the catalog defines ${owner})`
        : `the name of the no-data companion of the built-in check ${owner}`;
    ctx.report(
      "LAB011",
      nameAt,
      `alert ${String(alert.name)} has ${what}; alert names must be unique`,
      { fix: `rename it, e.g. ${String(alert.name)}_custom` },
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
  checkAlertPromql(ctx, alert, at);
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
