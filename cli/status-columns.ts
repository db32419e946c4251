/**
 * The four pillars as `lab get servers` draws them (docs/status.md): `✓ sync`, `⚠ drift`,
 * `✗ failed`, `⚠ 2 alrt`, `…` for unknown. The symbols stay without colour; colour only adds.
 */
import type { PillarState } from "../core/health-source.js";
import { noFacts, serverStatus } from "../reconciler/status/compose-status.js";
import { PILLAR_STATES, type ServerStatus } from "../reconciler/status/status-types.js";
import { UsageError } from "../core/errors.js";
import type { Style } from "./printers/color.js";

export const STATUS_HEADERS = ["sync", "puppet", "health", "identity"] as const;

/** What a server shows when nothing about its status can be had: every pillar unknown. */
export const UNKNOWN_STATUS: ServerStatus = serverStatus(noFacts(0), "");

const UNKNOWN = "…";

function paint(state: PillarState, text: string, style: Style): string {
  if (state === "ok") return style.green(text);
  if (state === "warn") return style.yellow(text);
  if (state === "failed") return style.red(text);
  return style.dim(text);
}

function symbol(state: PillarState): string {
  return state === "ok" ? "✓" : state === "warn" ? "⚠" : state === "failed" ? "✗" : UNKNOWN;
}

function syncCell(s: ServerStatus["sync"]): string {
  if (s.state === "ok") return "✓ sync";
  if (s.state === "failed") return "✗ failed";
  if (s.state === "warn") return s.behind.length ? "⚠ behind" : "⚠ drift";
  return UNKNOWN;
}

function puppetCell(p: ServerStatus["puppet"]): string {
  if (p.state === "ok") return "✓ ok";
  if (p.state === "failed") return "✗ failed";
  if (p.state === "warn") return "⚠ stale";
  return UNKNOWN;
}

function healthCell(h: ServerStatus["health"]): string {
  if (h.state === "ok") return "✓ ok";
  if (h.state === "unknown") return UNKNOWN;
  const mark = symbol(h.state);
  if (h.alerts.length) return `${mark} ${h.alerts.length} alrt`;
  const failing = h.checks.filter((c) => c.state !== "ok").length;
  if (failing) return `${mark} ${failing} chk`;
  return h.state === "failed" ? "✗ failed" : "⚠ warn";
}

function identityCell(i: ServerStatus["identity"]): string {
  if (i.state === "ok") return "✓ cert ok";
  if (i.state === "warn") return "⚠ cert exp";
  if (i.state === "failed") return "✗ cert expired";
  return UNKNOWN;
}

/** The SYNC, PUPPET, HEALTH and IDENTITY cells of one server. */
export function statusCells(status: ServerStatus, style: Style): string[] {
  return [
    paint(status.sync.state, syncCell(status.sync), style),
    paint(status.puppet.state, puppetCell(status.puppet), style),
    paint(status.health.state, healthCell(status.health), style),
    paint(status.identity.state, identityCell(status.identity), style),
  ];
}

/** `✓ sync ✓ puppet ⚠ health … identity`: the four pillars on one line (lab show label). */
export function pillarLine(status: ServerStatus, style: Style): string {
  return STATUS_HEADERS.map((p) =>
    paint(status[p].state, `${symbol(status[p].state)} ${p}`, style),
  ).join(" ");
}

/** `--status warn,failed` / `--health failed`: the states asked for, checked. */
export function parseStates(values: readonly string[], flag: string): Set<PillarState> | null {
  if (!values.length) return null;
  const known = new Set<string>(PILLAR_STATES);
  for (const v of values) {
    if (!known.has(v)) {
      throw new UsageError(
        `${flag} "${v}": expected ${PILLAR_STATES.join(", ")} (comma-separated for several)`,
      );
    }
  }
  return new Set(values as PillarState[]);
}

export interface StatusFilter {
  status: Set<PillarState> | null;
  health: Set<PillarState> | null;
}

/** Whether a server's status passes `--status` (its overall state) and `--health`. */
export function passesFilter(status: ServerStatus, filter: StatusFilter): boolean {
  if (filter.status && !filter.status.has(status.state)) return false;
  if (filter.health && !filter.health.has(status.health.state)) return false;
  return true;
}
