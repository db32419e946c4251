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
): string[] {
  const fromOf = new Map(members.map((m) => [m.name, m.from]));
  const whyOf = new Map(excluded.map((e) => [e.name, e.why]));
  const lines = [`Applies to ${plural(members.length, "server")}${members.length ? ":" : ""}`];
  lines.push(
    ...renderTree(
      serverNodes(
        model,
        members.map((m) => m.name),
        (n) => fromSuffix(fromOf.get(n) ?? []),
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

export function alertView(model: ResolvedModel, name: string): AlertView {
  const user = model.alerts.find((a) => a.name === name);
  if (user) {
    const { spec } = user;
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
        members: user.members.map((m) => ({ name: m.name, from: m.from.map(fromJson) })),
        excluded: user.excluded.map((e) => ({ name: e.name, why: e.why })),
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
        return lines.concat(memberLines(model, user.members, user.excluded)).join("\n") + "\n";
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
      ];
      return lines.join("\n") + "\n";
    },
  };
}
