/**
 * An alert's current value per server, for `lab show alert` ("currently: 42% ✓", "83% ⚠
 * approaching"): a `condition` of the form `EXPR OP NUMBER` is read as its expression's value
 * compared with the threshold. Pure; the values come from a health source's query.
 */
import type { PillarState } from "../../core/health-source.js";

export interface Condition {
  /** The expression compared: what a source is asked for. */
  expr: string;
  op: ">" | ">=" | "<" | "<=" | "==" | "!=";
  threshold: number;
}

export interface Reading {
  value: number | null;
  /** ok: clear of the threshold; warn: within APPROACH of it; failed: the condition holds. */
  state: PillarState;
  /** `42% ✓`, `83% ⚠ approaching`, `91% ✗ over 85`, `no value`. */
  text: string;
}

/** How close to the threshold, as a part of it, counts as approaching. */
export const APPROACH = 0.1;

/** `disk_usage_percent > 85` → its parts; null for a condition of another form. */
export function parseCondition(condition: string): Condition | null {
  const m = /^(.+?)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)$/.exec(condition.trim());
  if (!m) return null;
  return { expr: m[1]!, op: m[2] as Condition["op"], threshold: Number(m[3]) };
}

/** The expression a source is asked for: the greatest value per server. */
export function readingQuery(condition: Condition): string {
  return `max by (lab_server) (${condition.expr})`;
}

function holds(value: number, c: Condition): boolean {
  switch (c.op) {
    case ">":
      return value > c.threshold;
    case ">=":
      return value >= c.threshold;
    case "<":
      return value < c.threshold;
    case "<=":
      return value <= c.threshold;
    case "==":
      return value === c.threshold;
    case "!=":
      return value !== c.threshold;
  }
}

function near(value: number, c: Condition): boolean {
  const margin = Math.abs(c.threshold) * APPROACH;
  if (c.op === ">" || c.op === ">=") return value >= c.threshold - margin;
  if (c.op === "<" || c.op === "<=") return value <= c.threshold + margin;
  return false;
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** A value as people read it: `42%` when the expression is a percentage. */
function shown(value: number, c: Condition): string {
  return /percent|_pct\b|ratio_percent/.test(c.expr) ? `${number(value)}%` : number(value);
}

export function readingOf(c: Condition, value: number | undefined): Reading {
  if (value === undefined || Number.isNaN(value))
    return { value: null, state: "unknown", text: "no value" };
  const v = shown(value, c);
  if (holds(value, c)) {
    const past = c.op === "<" || c.op === "<=" ? "under" : c.op === "!=" ? "not" : "over";
    return { value, state: "failed", text: `${v} ✗ ${past} ${shown(c.threshold, c)}` };
  }
  if (near(value, c)) return { value, state: "warn", text: `${v} ⚠ approaching` };
  return { value, state: "ok", text: `${v} ✓` };
}
