/**
 * A health source over Naemon or Nagios: the `status.dat` the daemon writes (`statusFile`), or
 * its Livestatus socket (`livestatus`) when one is configured. A file that cannot be read, or is
 * older than `maxAgeMs` (the daemon stopped writing it), makes the snapshot `ok: false`.
 */
import { readFile, stat } from "node:fs/promises";
import { LabError } from "../../../core/errors.js";
import type {
  HealthSnapshot,
  HealthSource,
  HealthSourceConfig,
} from "../../../core/health-source.js";
import { ioReason } from "../../../core/io-reason.js";
import { formatMs } from "../bounded-fetch.js";
import { livestatusStatuses } from "./livestatus.js";
import { naemonHealth, type NaemonStatus } from "./naemon-health.js";
import { parseStatusDat } from "./status-dat.js";

/** How old status.dat may be by default: Naemon rewrites it every 10 s unless told otherwise. */
export const DEFAULT_MAX_AGE_MS = 5 * 60_000;

type Read = { ok: true; statuses: NaemonStatus[] } | { ok: false; reason: string };

async function readStatusFile(
  path: string,
  maxAgeMs: number,
  now: () => number,
  signal: AbortSignal,
): Promise<Read> {
  let data: Buffer;
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(path)).mtimeMs;
    data = await readFile(path, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, reason: `${path}: ${ioReason(err)}` };
  }
  const age = now() - mtimeMs;
  if (age > maxAgeMs) {
    return {
      ok: false,
      reason: `${path} was last written ${formatMs(age)} ago (more than ${formatMs(maxAgeMs)}): is the daemon running?`,
    };
  }
  return { ok: true, statuses: parseStatusDat(data) };
}

async function readLivestatus(path: string, signal: AbortSignal): Promise<Read> {
  const answer = await livestatusStatuses(path, signal);
  return answer.ok ? { ok: true, statuses: answer.value } : answer;
}

function setting(config: HealthSourceConfig, key: string): string | null {
  const value = config[key];
  return typeof value === "string" && value !== "" ? value : null;
}

export interface NaemonSourceOptions {
  /** The clock status.dat's age is measured against (default: the system clock). */
  now?: () => number;
}

export function naemonHealthSource(
  config: HealthSourceConfig,
  options: NaemonSourceOptions = {},
): HealthSource {
  const statusFile = setting(config, "statusFile");
  const livestatus = setting(config, "livestatus");
  if (statusFile === null && livestatus === null) {
    throw new LabError(
      "USAGE",
      `health source ${config.name}: a naemon source needs status_file or livestatus`,
    );
  }
  const maxAgeMs = typeof config.maxAgeMs === "number" ? config.maxAgeMs : DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const { name, timeoutMs } = config;
  return {
    name,
    kind: "naemon",
    async read(servers, signal): Promise<HealthSnapshot> {
      const timeout = AbortSignal.timeout(timeoutMs);
      const both = AbortSignal.any([signal, timeout]);
      let got: Read;
      try {
        got =
          livestatus !== null
            ? await readLivestatus(livestatus, both)
            : await readStatusFile(statusFile!, maxAgeMs, now, both);
      } catch (err) {
        signal.throwIfAborted();
        if (!timeout.aborted) throw err;
        got = { ok: false, reason: "" };
      }
      signal.throwIfAborted();
      if (timeout.aborted && !got.ok)
        got = { ok: false, reason: `timed out after ${formatMs(timeoutMs)}` };
      const at = new Date(now()).toISOString();
      if (!got.ok) return { source: name, ok: false, reason: got.reason, at, servers: new Map() };
      return {
        source: name,
        ok: true,
        reason: null,
        at,
        servers: naemonHealth(servers, got.statuses),
      };
    },
  };
}
