/**
 * `lab diff server NAME`: one server's slice of a plan — what it gains (+), loses (-) and what
 * changes (~), each with where it comes from, then the diffs of its own files.
 */
import type { Plan, PlannedFile, PlannedServer } from "../../reconciler/plan/plan-types.js";
import type { Style } from "./color.js";
import { changeLine } from "./plan-table.js";
import { colorMark, markOf, posText } from "./plan-marks.js";

/** What the slice holds: the server's plan entry, its risks, its files and its drift. */
export interface ServerSlice {
  kind: "ServerPlan";
  base: string | null;
  head: string;
  server: PlannedServer;
  risks: Plan["risks"];
  files: PlannedFile[];
  drift: Plan["drift"];
}

/** A file is the server's own when its name (without the extension) is the server's name. */
function ownFile(path: string, server: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return (dot < 0 ? base : base.slice(0, dot)) === server;
}

/** A Pulumi URN names the resource last: `urn:pulumi:stack::project::type::name`. */
function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

export function serverSlice(plan: Plan, server: PlannedServer): ServerSlice {
  return {
    kind: "ServerPlan",
    base: plan.base,
    head: plan.head,
    server,
    risks: plan.risks.filter((r) => r.server === server.name),
    files: plan.outputs.flatMap((o) => o.files.filter((f) => ownFile(f.path, server.name))),
    drift: plan.drift.filter((d) => urnName(d.urn) === server.name),
  };
}

function colorDiff(diff: string, style: Style): string {
  if (!style.enabled) return diff;
  return diff
    .split("\n")
    .map((l) =>
      l.startsWith("+") && !l.startsWith("+++")
        ? style.green(l)
        : l.startsWith("-") && !l.startsWith("---")
          ? style.red(l)
          : l.startsWith("@@")
            ? style.cyan(l)
            : l,
    )
    .join("\n");
}

export function formatServerSlice(slice: ServerSlice, style: Style): string {
  const { server } = slice;
  const mark = colorMark(markOf(server.action), style);
  const lines = [
    `${mark} server ${style.bold(server.name)}: ${server.action} (${posText(server.source)})`,
  ];
  if (server.action === "none") lines.push("no changes");
  for (const r of slice.risks) lines.push(`${style.red("!")} ${r.kind}: ${r.message}`);
  for (const c of server.changes) lines.push(changeLine(c, style));
  for (const d of slice.drift) {
    const fields = d.fields.length ? ` (${d.fields.join(", ")})` : "";
    lines.push(`~ drift ${d.kind}: ${d.urn}${fields}`);
  }
  let text = lines.join("\n") + "\n";
  for (const f of slice.files) {
    text += `\n${colorMark(markOf(f.action), style)} ${f.path}\n`;
    text += f.diff === null ? "(the old text is not available)\n" : colorDiff(f.diff, style);
  }
  return text;
}
