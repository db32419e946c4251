/**
 * A parsed Puppet report (its plain data, whatever tags it had) reduced to a PuppetRun
 * (docs/status.md, "Puppet reports"):
 * - failures: the resource statuses with `failed: true`, each with the first error-level log
 *   whose source is that resource's path, else its failed event's message, and the status's
 *   `file:line`;
 * - compile errors: error-level logs with no resource as their source (a catalog that did not
 *   apply: a dependency cycle, or an agent's catalog the server failed to compile), leaving out
 *   those that repeat a failed resource's message (an exec's own "returned 1" line);
 * - classes: the containment paths' class entries (`App::Broken` → `app::broken`; Puppet names a
 *   class in a path by its title, a defined type as `Type[title]`), without `main`, the
 *   manifest's top scope.
 */
import { PUPPET_RUN_STATUSES, type PuppetFailure, type PuppetRun } from "../../core/puppet-run.js";

/** Log levels Puppet counts as errors. */
const ERROR_LEVELS = new Set(["err", "alert", "emerg", "crit"]);
/** A message kept longer than this is cut (a report can carry a whole command's output). */
const MAX_MESSAGE = 2000;

type Data = Record<string, unknown>;

function isData(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A scalar as text (Puppet writes versions as numbers or strings); null for anything else. */
function text(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return null;
}

/** One line, bounded: lines joined by a space. */
function oneLine(message: string): string {
  const line = message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

interface Log {
  level: string;
  message: string;
  source: string;
}

function logsOf(report: Data): Log[] | string {
  const logs = report.logs ?? [];
  if (!Array.isArray(logs)) return "logs is not a list";
  return logs.filter(isData).map((l) => ({
    level: text(l.level) ?? "",
    message: oneLine(text(l.message) ?? ""),
    source: text(l.source) ?? "",
  }));
}

function statusesOf(report: Data): [string, Data][] | string {
  const statuses = report.resource_statuses ?? {};
  if (!isData(statuses)) return "resource_statuses is not a mapping";
  return Object.entries(statuses).filter((e): e is [string, Data] => isData(e[1]));
}

/** A log's source names `resource` (`/Stage[main]/App::Broken/Exec[bars-fails]/returns`). */
function fromResource(source: string, resource: string): boolean {
  return source.includes(`/${resource}/`) || source.endsWith(`/${resource}`);
}

function failedEvent(status: Data): string | null {
  const events = Array.isArray(status.events) ? status.events.filter(isData) : [];
  const failed = events.find((e) => e.status === "failure" && text(e.message));
  return failed ? oneLine(text(failed.message)!) : null;
}

function sourceOf(status: Data): string | null {
  const file = text(status.file);
  if (!file) return null;
  const line = status.line;
  return typeof line === "number" && Number.isInteger(line) ? `${file}:${line}` : file;
}

function failuresOf(statuses: [string, Data][], errors: Log[]): PuppetFailure[] {
  const failures: PuppetFailure[] = [];
  for (const [key, status] of statuses) {
    if (status.failed !== true) continue;
    const resource = text(status.resource) ?? key;
    const logged = errors.find((l) => fromResource(l.source, resource))?.message;
    failures.push({
      resource,
      message: logged || failedEvent(status) || "failed (the report gives no message)",
      source: sourceOf(status),
    });
  }
  return failures.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
}

/** Error logs from no resource, unless a failed resource's message already says it. */
function compileErrorsOf(errors: Log[], failures: PuppetFailure[]): string[] {
  const told = [
    ...failures.map((f) => f.message),
    ...errors.filter((l) => l.source.startsWith("/")).map((l) => l.message),
  ];
  return errors
    .filter((l) => !l.source.startsWith("/") && l.message !== "")
    .filter((l) => !told.some((message) => message.includes(l.message)))
    .map((l) => l.message);
}

function classesOf(statuses: [string, Data][]): string[] {
  const classes = new Set<string>();
  for (const [, status] of statuses) {
    const path = Array.isArray(status.containment_path) ? status.containment_path : [];
    for (const entry of path.slice(0, -1)) {
      if (typeof entry !== "string") continue;
      const name = /^Class\[(.+)\]$/.exec(entry)?.[1] ?? (entry.includes("[") ? null : entry);
      if (name && name.toLowerCase() !== "main") classes.add(name.toLowerCase());
    }
  }
  return [...classes].sort();
}

/** A certname as Puppet allows it, loosely: printable, no spaces or slashes, at most 255. */
const NODE = /^[^\s/\\\u0000-\u001f\u007f]{1,255}$/u;

/** The report's node, status and time, or why it is not a report. */
function headOf(
  report: Data,
): { node: string; status: PuppetRun["status"]; time: string } | string {
  const node = report.host;
  if (node === undefined || node === null) return "the report has no host (the node's certname)";
  if (typeof node !== "string" || !NODE.test(node))
    return `host ${JSON.stringify(node)} is not a certname`;
  const status = report.status;
  if (status === undefined || status === null) return "the report has no status";
  if (!PUPPET_RUN_STATUSES.includes(status as PuppetRun["status"])) {
    return `status ${JSON.stringify(status)}: expected one of ${PUPPET_RUN_STATUSES.join(", ")}`;
  }
  const when = report.time;
  const ms =
    typeof when === "string" ? Date.parse(when) : when instanceof Date ? when.getTime() : NaN;
  if (when === undefined || when === null) return "the report has no time";
  if (Number.isNaN(ms)) return `time ${JSON.stringify(when)} is not a time`;
  return { node, time: new Date(ms).toISOString(), status: status as PuppetRun["status"] };
}

/** A parsed report into a run, or the reason it is not one. */
export function reportRun(report: unknown, receivedAt: string): PuppetRun | { reason: string } {
  if (!isData(report)) {
    return { reason: "not a Puppet report: expected a mapping with host, time and status" };
  }
  const head = headOf(report);
  if (typeof head === "string") return { reason: head };
  const logs = logsOf(report);
  if (typeof logs === "string") return { reason: logs };
  const statuses = statusesOf(report);
  if (typeof statuses === "string") return { reason: statuses };
  const errors = logs.filter((l) => ERROR_LEVELS.has(l.level));
  const failures = failuresOf(statuses, errors);
  return {
    ...head,
    environment: text(report.environment),
    configurationVersion: text(report.configuration_version),
    puppetVersion: text(report.puppet_version),
    failures,
    compileErrors: compileErrorsOf(errors, failures),
    classes: classesOf(statuses),
    receivedAt,
  };
}
