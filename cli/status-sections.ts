/**
 * The sections `lab show server NAME` adds for status (docs/status.md): Status (sync and drift),
 * Puppet (environment, classes, last run, failures), Health (each source, active alerts, failing
 * checks) and Identity.
 */
import type { PillarState } from "../core/health-source.js";
import type { ResolvedModel, ResolvedServer } from "../core/model.js";
import { shortTime } from "../reconciler/status/pillar-state.js";
import type { ServerStatus, SourceNote } from "../reconciler/status/status-types.js";
import type { Style } from "./printers/color.js";
import { renderTree } from "./printers/tree.js";

const MARK: Readonly<Record<PillarState, string>> = {
  ok: "✓",
  warn: "⚠",
  failed: "✗",
  unknown: "…",
};

function mark(state: PillarState, style: Style): string {
  const m = MARK[state];
  if (state === "ok") return style.green(m);
  if (state === "warn") return style.yellow(m);
  if (state === "failed") return style.red(m);
  return style.dim(m);
}

const HEADLINE: Readonly<Record<PillarState, string>> = {
  ok: "IN SYNC",
  warn: "",
  failed: "APPLY FAILED",
  unknown: "UNKNOWN",
};

function statusLines(status: ServerStatus, style: Style): string[] {
  const { sync } = status;
  const head =
    sync.state === "warn"
      ? sync.behind.length
        ? "BEHIND"
        : "DRIFT DETECTED"
      : HEADLINE[sync.state];
  const lines = [`Status: ${mark(sync.state, style)} ${head} (${sync.detail})`];
  if (sync.behind.length) lines.push(`  Behind: ${sync.behind.join(", ")}`);
  if (sync.drift.length) {
    lines.push("  Drift:");
    const nodes = sync.drift.map((d) => ({
      text: `${d.kind} ${d.type} in ${d.stack}${d.fields.length ? `: ${d.fields.join(", ")}` : ""}`,
    }));
    lines.push(...renderTree(nodes, "    "));
  }
  return lines;
}

function puppetLines(
  model: ResolvedModel,
  s: ResolvedServer,
  status: ServerStatus,
  style: Style,
): string[] {
  const run = status.puppet.lastRun;
  const env =
    run?.environment ?? (s.environment ? model.settings.environments[s.environment] : undefined);
  const lines = ["Puppet:", `  Environment: ${env ?? "none"}`];
  // The classes the model gives are listed above; a run says which the catalog applied.
  if (run?.classes.length) lines.push(`  Classes applied: [${run.classes.join(", ")}]`);
  if (!run) lines.push(`  Last run: ${mark(status.puppet.state, style)} ${status.puppet.detail}`);
  else {
    const what = run.status === "failed" ? "failed" : `success, ${run.status}`;
    lines.push(`  Last run: ${mark(status.puppet.state, style)} ${shortTime(run.time)} (${what})`);
    if (status.puppet.state === "warn") lines.push(`  Stale: ${status.puppet.detail}`);
    if (run.configurationVersion) lines.push(`  Catalog: ${run.configurationVersion}`);
  }
  if (run?.failures.length) {
    lines.push("  Failures:");
    const nodes = run.failures.map((f) => ({
      text: `${f.resource}: ${f.message}${f.source ? ` (${f.source})` : ""}`,
    }));
    lines.push(...renderTree(nodes, "    "));
  }
  if (run?.compileErrors.length) {
    lines.push(
      "  Compile errors:",
      ...renderTree(
        run.compileErrors.map((text) => ({ text })),
        "    ",
      ),
    );
  }
  return lines;
}

function sourceLine(note: SourceNote, status: ServerStatus, style: Style): string {
  if (!note.ok)
    return `  ${note.name}: ${mark("unknown", style)} unknown: ${note.reason ?? "no answer"}`;
  if (note.state === null)
    return `  ${note.name}: ${mark("unknown", style)} does not report on this server`;
  const alerts = status.health.alerts.filter((a) => a.source === note.name).length;
  const failing = status.health.checks.filter(
    (c) => c.source === note.name && c.state !== "ok",
  ).length;
  const parts = [
    alerts ? `${alerts} alert${alerts === 1 ? "" : "s"} active` : "",
    failing ? `${failing} check${failing === 1 ? "" : "s"} not ok` : "",
  ].filter(Boolean);
  const text = parts.length
    ? parts.join(", ")
    : note.state === "ok"
      ? "all checks passing"
      : note.state;
  return `  ${note.name}: ${mark(note.state, style)} ${text}`;
}

function healthLines(status: ServerStatus, style: Style): string[] {
  const { health } = status;
  const lines = [`Health: ${mark(health.state, style)} ${health.detail}`];
  for (const note of health.sources) lines.push(sourceLine(note, status, style));
  if (!health.alerts.length) lines.push("  Alerts: none active");
  else {
    lines.push("  Alerts:");
    const nodes = health.alerts.map((a) => {
      const facts = [
        a.state + (a.since ? ` since ${shortTime(a.since)}` : ""),
        a.severity ?? "",
        a.value !== null ? `value ${a.value}` : "",
        a.source,
      ].filter(Boolean);
      return { text: `${a.name} (${facts.join(", ")})${a.summary ? `: ${a.summary}` : ""}` };
    });
    lines.push(...renderTree(nodes, "    "));
  }
  const failing = health.checks.filter((c) => c.state !== "ok");
  if (failing.length) {
    lines.push("  Checks not ok:");
    lines.push(
      ...renderTree(
        failing.map((c) => ({ text: `${c.name} ${c.state} (${c.source}): ${c.output}` })),
        "    ",
      ),
    );
  }
  return lines;
}

/** The status sections of `lab show server`, after what the server gets. */
export function statusSections(
  model: ResolvedModel,
  s: ResolvedServer,
  status: ServerStatus,
  style: Style,
): string {
  const lines = [
    ...statusLines(status, style),
    ...puppetLines(model, s, status, style),
    ...healthLines(status, style),
    `Identity: ${mark(status.identity.state, style)} ${status.identity.detail}`,
  ];
  return lines.join("\n") + "\n";
}
