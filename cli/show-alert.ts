/** `lab show alert NAME`: a user alert or a built-in check, and where it fires. */
import { CHECKS } from "../core/check-catalog.js";
import { NotFoundError } from "../core/errors.js";
import type { ExcludedMember, Member, ResolvedModel } from "../core/model.js";
import { suggest } from "../core/suggest.js";
import { checkRules } from "../renderers/prometheus/check-rules.js";
import type { Style } from "./printers/color.js";
import { fromJson, fromSuffix, whyPhrase } from "./printers/provenance.js";
import { renderTree } from "./printers/tree.js";
import { selectorText, serverNodes } from "./show-common.js";
import { readings, renderedLines, renderedTo, valuesLine } from "./status-alert.js";
import type { AlertValues } from "./status-show.js";

interface AlertView {
  json: Record<string, unknown>;
  text: (style: Style) => string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function memberLines(
  model: ResolvedModel,
  members: readonly Member[],
  excluded: readonly ExcludedMember[],
  current: ReturnType<typeof readings> = null,
): string[] {
  const fromOf = new Map(members.map((m) => [m.name, m.from]));
  const now = (n: string) => (current?.has(n) ? ` currently: ${current.get(n)!.text}` : "");
  const whyOf = new Map(excluded.map((e) => [e.name, e.why]));
  const lines = [`Applies to ${plural(members.length, "server")}${members.length ? ":" : ""}`];
  lines.push(
    ...renderTree(
      serverNodes(
        model,
        members.map((m) => m.name),
        (n) => fromSuffix(fromOf.get(n) ?? []) + now(n),
      ),
      "  ",
    ),
  );
  if (excluded.length) {
    lines.push("Excluded:");
    lines.push(
      ...renderTree(
        serverNodes(
          model,
          excluded.map((e) => e.name),
          (n) => `(${whyPhrase(whyOf.get(n) ?? [])})`,
        ),
        "  ",
      ),
    );
  }
  return lines;
}

/** `values`: the current value per server (docs/status.md), when a health source gave them. */
export function alertView(model: ResolvedModel, name: string, values?: AlertValues): AlertView {
  const user = model.alerts.find((a) => a.name === name);
  if (user) {
    const { spec } = user;
    const names = user.members.map((m) => m.name);
    const current = readings(values, names);
    const rendered = renderedTo(model, name, names);
    const rule =
      spec.condition !== undefined ? { condition: spec.condition } : { expr: spec.expr ?? null };
    return {
      json: {
        name,
        kind: "user",
        severity: user.severity,
        ...rule,
        for: spec.for ?? null,
        target: spec.target,
        exclude: spec.exclude ?? null,
        members: user.members.map((m) => ({
          name: m.name,
          from: m.from.map(fromJson),
          current: current?.get(m.name) ?? null,
        })),
        excluded: user.excluded.map((e) => ({ name: e.name, why: e.why })),
        renderedTo: rendered,
      },
      text: (style) => {
        const lines = [
          style.bold(`Alert: ${name}`),
          "Kind: user alert",
          `Severity: ${user.severity}`,
        ];
        if (spec.summary) lines.push(`Summary: ${spec.summary}`);
        if (spec.condition !== undefined) lines.push(`Condition: ${spec.condition}`);
        if (spec.expr !== undefined) lines.push(`Expr: ${spec.expr}`);
        if (spec.for) lines.push(`For: ${spec.for}`);
        lines.push(
          `Target: ${selectorText(spec.target)}`,
          `Excludes: ${selectorText(spec.exclude)}`,
        );
        return (
          lines
            .concat(memberLines(model, user.members, user.excluded, current))
            .concat(valuesLine(values), renderedLines(rendered))
            .join("\n") + "\n"
        );
      },
    };
  }
  const def = CHECKS.get(name);
  if (!def) {
    const names = [...model.alerts.map((a) => a.name), ...CHECKS.keys()];
    throw new NotFoundError("alert", name, suggest(name, names));
  }
  const members = model.checks.find((c) => c.name === name)?.members ?? [];
  // The rules as rendered: a sized check has one per size of its members, each with its threshold.
  const sizeOf = new Map(model.servers.map((s) => [s.name, s.size]));
  const sizes = new Set(members.map((m) => sizeOf.get(m.name)));
  const rules = checkRules(
    name,
    model.sizes.filter((z) => sizes.has(z.name)),
  );
  const rendered = renderedTo(
    model,
    name,
    members.map((m) => m.name),
  );
  return {
    json: {
      name,
      kind: "check",
      severity: def.severity,
      summary: def.summary,
      for: def.for,
      rules,
      members: members.map((m) => ({ name: m.name, from: m.from.map(fromJson) })),
      excluded: [],
      renderedTo: rendered,
    },
    text: (style) => {
      const lines = [
        style.bold(`Alert: ${name}`),
        "Kind: built-in check",
        `Severity: ${def.severity}`,
        `Summary: ${def.summary}`,
        `For: ${def.for}`,
        "Rules (as rendered):",
        ...rules.map(
          (r) =>
            `  ${r.alert}${r.labels.lab_size ? ` (size ${r.labels.lab_size})` : ""}: ${r.expr}`,
        ),
        ...memberLines(model, members, []),
        ...renderedLines(rendered),
      ];
      return lines.join("\n") + "\n";
    },
  };
}
