/** The flags `lab get servers` adds for status: filters, watch, and the state store to read. */
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { collect } from "./selector-flags.js";

export interface StatusFlags {
  status: string[];
  health: string[];
  watch?: boolean;
  interval: string;
  state?: string;
}

export function addStatusFlags(cmd: Command): Command {
  const states = "ok, warn, failed, unknown (repeatable, comma-separated)";
  return cmd
    .option(
      "--status <states>",
      `servers: only those whose worst pillar is one of ${states}`,
      collect,
      [],
    )
    .option(
      "--health <states>",
      `servers: only those whose health is one of ${states}`,
      collect,
      [],
    )
    .option(
      "-w, --watch",
      "servers: after the table, print a line for each server whose status changes",
    )
    .option("--interval <seconds>", "how often --watch looks again", "2")
    .option(
      "--state <path>",
      "the SQLite state store to read status from (default ~/.lab/state.db if it exists)",
    );
}

export function usesStatusFlags(f: StatusFlags): boolean {
  return f.status.length > 0 || f.health.length > 0 || f.watch === true;
}

/** `--interval` in milliseconds: at least 0.1 s. */
export function intervalMs(value: string): number {
  const s = Number(value);
  if (!Number.isFinite(s) || s < 0.1) {
    throw new UsageError(`--interval "${value}": expected a number of seconds, at least 0.1`);
  }
  return Math.round(s * 1000);
}
