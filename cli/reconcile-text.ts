/** A reconcile pass as people read it: what was read, the plan's summary, each output. */
import type { TargetResult } from "../reconciler/apply/apply-outputs.js";
import type { PassResult } from "../reconciler/reconcile/one-pass.js";
import type { Plan } from "../reconciler/plan/plan-types.js";
import { secretsCounts } from "../reconciler/secrets/plan-secrets-text.js";
import type { Style } from "./printers/color.js";
import { resourceLine } from "./printers/plan-table.js";

function short(revision: string | null): string {
  if (!revision) return "no revision";
  return revision.startsWith("content:")
    ? `content ${revision.slice(8, 20)}`
    : revision.slice(0, 12);
}

function planLine(plan: Plan): string {
  const f = plan.summary.files;
  const s = plan.summary.servers;
  const parts = [`files +${f.add} ~${f.change} -${f.remove}`];
  if (plan.summary.serversCompared) {
    parts.push(`servers +${s.add} ~${s.change} -${s.remove} ±${s.replace}`);
  }
  const held = plan.summary.resources;
  if (held && held.create + held.update + held.delete) {
    parts.push(`resources +${held.create} ~${held.update} -${held.delete}`);
  }
  const secrets = secretsCounts(plan);
  if (secrets) parts.push(`secrets ${secrets}`);
  if (plan.summary.risks)
    parts.push(`${plan.summary.risks} risk${plan.summary.risks === 1 ? "" : "s"}`);
  if (plan.summary.drift) parts.push(`${plan.summary.drift} drifted`);
  return `plan: ${parts.join(", ")}`;
}

function targetLine(t: TargetResult, style: Style): string {
  const status =
    t.status === "applied"
      ? style.green(t.status.padEnd(10))
      : t.status === "failed"
        ? style.red(t.status.padEnd(10))
        : t.status === "busy"
          ? style.yellow(t.status.padEnd(10))
          : style.dim(t.status.padEnd(10));
  const counts = t.status === "applied" ? ` +${t.added} ~${t.changed} -${t.removed}` : "";
  const told = t.notified && t.status === "applied" ? ", told" : "";
  const recovered = t.recovered ? ", finished an interrupted apply" : "";
  const why = t.reason ?? t.note;
  const reason = why ? `\n      ${why.split("\n").join("\n      ")}` : "";
  return `  ${t.name.padEnd(11)}${status}${t.location}${counts}${told}${recovered}${reason}`;
}

export function passText(pass: PassResult, describe: string, style: Style): string {
  const lines = [`${style.bold("reconcile")} ${describe}`];
  if (pass.result === "invalid") {
    lines.push(
      style.red(
        `${short(pass.revision)} has errors: nothing applied; ${pass.lastGood ? `${short(pass.lastGood)} stays applied` : "nothing was applied before"}`,
      ),
    );
    return lines.join("\n") + "\n";
  }
  if (pass.plan) {
    lines.push(planLine(pass.plan));
    for (const d of pass.plan.drift) {
      const fields = d.fields.length ? ` (${d.fields.join(", ")})` : "";
      lines.push(style.yellow(`  drift: ${d.kind} ${d.stack} ${d.urn}${fields}`));
    }
    const resources = pass.plan.resources ?? [];
    if (resources.length) lines.push("  Resources:");
    for (const r of resources) lines.push(`    ${resourceLine(r, style)}`);
  }
  for (const t of pass.targets) lines.push(targetLine(t, style));
  if (pass.result === "no-change")
    lines.push(`nothing changed: ${short(pass.revision)} is applied`);
  else if (pass.result === "ok") lines.push(style.green(`applied ${short(pass.revision)}`));
  else {
    const failed = pass.targets.filter((t) => t.status === "failed").map((t) => t.name);
    lines.push(
      style.red(
        `apply failed for ${failed.join(", ")}; ${pass.lastGood ? `${short(pass.lastGood)} stays recorded as the last good revision` : "no revision was applied before"}`,
      ),
    );
  }
  return lines.join("\n") + "\n";
}
