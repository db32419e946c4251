/** Which Naemon services a server gets: the checks it has that carry a Naemon command. */
import {
  CHECKS,
  GENERIC_PORT_CHECK,
  checkForPort,
  type CheckDef,
} from "../../core/check-catalog.js";
import { cmp } from "../../core/diagnostics.js";
import type { From, ResolvedServer } from "../../core/model.js";

export type Severity = CheckDef["severity"];

export interface NaemonService {
  /** Unique per host: the check name, `tcp_port <port>` for the generic port check. */
  description: string;
  check: string;
  /** `command` or `command!arg`. */
  checkCommand: string;
  severity: Severity;
  summary: string;
  /** Why the server has it, sorted: "label mailserver", "port 25", "size: large". */
  from: string[];
}

/** `label mailserver`, `group production`; auto rules by their own name (`port 443`). */
export function formatFrom(from: From): string {
  const base = from.kind === "auto" ? from.name : `${from.kind} ${from.name}`;
  return from.via === undefined ? base : `${base} via ${from.via}`;
}

interface Pending {
  def: CheckDef & { naemon: NonNullable<CheckDef["naemon"]> };
  port: number | null;
  from: Set<string>;
}

function naemonCheck(name: string): Pending["def"] | null {
  const def = CHECKS.get(name);
  return def?.naemon ? (def as Pending["def"]) : null;
}

function add(pending: Map<string, Pending>, key: string, entry: Omit<Pending, "from">): Pending {
  let found = pending.get(key);
  if (!found) {
    found = { ...entry, from: new Set() };
    pending.set(key, found);
  }
  return found;
}

/**
 * The server's Naemon services, sorted by check name then port. Checks come from its alert
 * references (declared by labels or auto-generated) and from its declared ports: a port with a
 * specific check (25 → smtp_connect) gets that check once, any other port gets its own
 * `tcp_port` service with the port as `$ARG1$`. Checks without a Naemon command (PromQL only)
 * and user alerts are Prometheus's business and give no service.
 */
export function naemonServices(server: ResolvedServer): NaemonService[] {
  const pending = new Map<string, Pending>();
  for (const alert of server.alerts) {
    if (alert.kind !== "check" || alert.name === GENERIC_PORT_CHECK) continue;
    const def = naemonCheck(alert.name);
    if (!def) continue;
    const entry = add(pending, def.name, { def, port: null });
    for (const from of alert.from) entry.from.add(formatFrom(from));
  }
  for (const { port, from } of server.ports) {
    const name = checkForPort(port);
    const def = naemonCheck(name);
    if (!def) continue;
    const generic = name === GENERIC_PORT_CHECK;
    const entry = add(pending, generic ? `${name} ${port}` : name, {
      def,
      port: generic ? port : null,
    });
    entry.from.add(`port ${port}`);
    if (generic) for (const f of from) entry.from.add(formatFrom(f));
  }
  return [...pending.values()].sort(compareEntries).map(toService);
}

function compareEntries(a: Pending, b: Pending): number {
  return cmp(a.def.name, b.def.name) || (a.port ?? 0) - (b.port ?? 0);
}

function toService({ def, port, from }: Pending): NaemonService {
  return {
    description: port === null ? def.name : `${def.name} ${port}`,
    check: def.name,
    checkCommand: port === null ? def.naemon.command : `${def.naemon.command}!${port}`,
    severity: def.severity,
    summary: port === null ? def.summary : `${def.summary} (port ${port})`,
    from: [...from].sort(cmp),
  };
}
