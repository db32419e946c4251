/**
 * `lab plan` as text: the summary first, then the risks, then per output and per server (servers
 * without changes left out), then the provider resources, then drift.
 */
import { resourceName } from "../../reconciler/plan/plan-resources.js";
import { secretsCounts, secretsLines } from "../../reconciler/secrets/plan-secrets-text.js";
import type {
  Plan,
  PlannedOutput,
  PlannedResource,
  PlannedServer,
  ServerChange,
} from "../../reconciler/plan/plan-types.js";
import type { Style } from "./color.js";
import { colorMark, fromText, markOf, plural, posText, shortRevision } from "./plan-marks.js";

/** `files: 1 to add, 2 to change, 0 to remove; servers: …` */
export function summaryLines(plan: Plan): string[] {
  const { files, servers } = plan.summary;
  const out = [
    `Plan: ${shortRevision(plan.base)} -> ${shortRevision(plan.head)}`,
    `Files: ${files.add} to add, ${files.change} to change, ${files.remove} to remove`,
  ];
  if (plan.summary.serversCompared) {
    out.push(
      `Servers: ${servers.add} to add, ${servers.change} to change, ${servers.replace} to replace, ${servers.remove} to remove (${servers.unchanged} unchanged)`,
    );
  } else {
    out.push("Servers: not compared (the applied state records files only; give --base REF)");
  }
  const held = plan.summary.resources;
  if (held && held.create + held.update + held.delete) {
    out.push(
      `Resources: ${held.create} to create, ${held.update} to update, ${held.delete} to delete`,
    );
  }
  out.push(`Risks: ${plan.summary.risks}`);
  if (plan.summary.drift) out.push(`Drift: ${plural(plan.summary.drift, "resource")}`);
  return out;
}

export function changeLine(c: ServerChange, style: Style): string {
  const mark = colorMark(markOf(c.action), style);
  const what =
    c.action === "change" && c.before !== undefined
      ? `${c.kind} ${c.before} -> ${c.after ?? ""}`
      : `${c.kind} ${c.name}`;
  const from = c.from.length ? ` <- ${fromText(c.from)}` : "";
  return `${mark} ${what}${from} (${posText(c.source)})`;
}

const RESOURCE_MARKS = { create: "add", update: "change", delete: "remove" } as const;

/** `+ create aws:ec2/instance:Instance web-3 (stack aws-prod)`, `~ update … (tags)`. */
export function resourceLine(r: PlannedResource, style: Style): string {
  const mark = colorMark(markOf(RESOURCE_MARKS[r.action]), style);
  const fields = r.fields.length ? ` (${r.fields.join(", ")})` : "";
  return `${mark} ${r.action} ${r.type} ${resourceName(r.urn)} (stack ${r.stack})${fields}`;
}

function outputLines(outputs: readonly PlannedOutput[], style: Style): string[] {
  const out: string[] = [];
  for (const o of outputs) {
    if (!o.files.length) continue;
    out.push(`  ${style.bold(o.name)}: ${plural(o.files.length, "file")}`);
    for (const f of o.files) out.push(`    ${colorMark(markOf(f.action), style)} ${f.path}`);
  }
  return out;
}

function serverLines(servers: readonly PlannedServer[], style: Style): string[] {
  const out: string[] = [];
  for (const s of servers) {
    if (s.action === "none") continue;
    out.push(`  ${colorMark(markOf(s.action), style)} ${style.bold(s.name)} (${s.action})`);
    for (const c of s.changes) out.push(`      ${changeLine(c, style)}`);
  }
  return out;
}

export function formatPlanTable(plan: Plan, style: Style): string {
  const lines = summaryLines(plan);
  if (!plan.summary.changes && !plan.drift.length) lines.push("", "No changes.");
  const secrets = secretsCounts(plan);
  if (secrets) {
    lines.push("", style.bold(`Secret access (${secrets}):`));
    for (const line of secretsLines(plan.secrets)) lines.push(`  ${line}`);
  }
  if (plan.risks.length) {
    lines.push("", style.bold("Risks (most severe first):"));
    for (const r of plan.risks) {
      lines.push(`  ${style.red("!")} ${r.kind}: ${r.message} (${posText(r.source)})`);
    }
  }
  const outputs = outputLines(plan.outputs, style);
  if (outputs.length) lines.push("", style.bold("Outputs:"), ...outputs);
  const servers = serverLines(plan.servers, style);
  if (servers.length) lines.push("", style.bold("Servers:"), ...servers);
  const resources = plan.resources ?? [];
  if (resources.length) {
    lines.push(
      "",
      style.bold("Resources:"),
      ...resources.map((r) => `  ${resourceLine(r, style)}`),
    );
  }
  if (plan.drift.length) {
    lines.push("", style.bold("Drift:"));
    for (const d of plan.drift) {
      const fields = d.fields.length ? ` (${d.fields.join(", ")})` : "";
      lines.push(`  ${d.kind}: ${d.provider}/${d.stack} ${d.urn}${fields}`);
    }
  }
  return lines.join("\n") + "\n";
}
