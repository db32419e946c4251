/**
 * Which Naemon services a server gets: one per port-bound check and port, so every declared port
 * is checked on its own (`smtp_connect 25`, `smtp_connect 587`).
 */
import { CHECKS, checkForPort, type CheckDef, type NaemonCheck } from "../../core/check-catalog.js";
import { cmp } from "../../core/diagnostics.js";
import type { From, ResolvedAlertRef, ResolvedServer } from "../../core/model.js";

export type Severity = CheckDef["severity"];

export interface NaemonService {
  /** `<check> <port>`: unique per host, and the same whether the port was declared or defaulted. */
  description: string;
  check: string;
  port: number;
  /** Whether the port speaks TLS from the first byte (993), so the TLS command checks it. */
  tls: boolean;
  /** `command!port`. */
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

type NaemonDef = CheckDef & { naemon: NaemonCheck };

interface Pending {
  def: NaemonDef;
  port: number;
  from: Set<string>;
}

function naemonCheck(name: string): NaemonDef | null {
  const def = CHECKS.get(name);
  return def?.naemon ? (def as NaemonDef) : null;
}

function add(pending: Map<string, Pending>, def: NaemonDef, port: number): Pending {
  const key = `${def.name} ${port}`;
  let found = pending.get(key);
  if (!found) {
    found = { def, port, from: new Set() };
    pending.set(key, found);
  }
  return found;
}

/** Where a check comes from other than the declared ports (a label's `alerts:`, a class …). */
function namedFrom(alert: ResolvedAlertRef, portRules: ReadonlySet<string>): From[] {
  return alert.from.filter((f) => !(f.kind === "auto" && portRules.has(f.name)));
}

/**
 * The server's Naemon services, sorted by check name then port. Every declared port whose check
 * (catalog `ports`, else the generic `tcp_port`) has a Naemon command gets a service that checks
 * that port. A check the server has for another reason (a label's `alerts:`, a class) adds its
 * reasons to the services of its ports, or, when no declared port brings it, gets one service on
 * the protocol's default port (none for `tcp_port`, which has no default). Checks without a
 * Naemon command (PromQL only) and user alerts are Prometheus's business and give no service.
 */
export function naemonServices(server: ResolvedServer): NaemonService[] {
  const pending = new Map<string, Pending>();
  const byCheck = new Map<string, Pending[]>();
  for (const { port, from } of server.ports) {
    const def = naemonCheck(checkForPort(port));
    if (!def) continue;
    const entry = add(pending, def, port);
    entry.from.add(`port ${port}`);
    for (const f of from) entry.from.add(formatFrom(f));
    const ofCheck = byCheck.get(def.name);
    if (ofCheck) ofCheck.push(entry);
    else byCheck.set(def.name, [entry]);
  }
  const portRules = new Set(server.ports.map((p) => `port ${p.port}`));
  for (const alert of server.alerts) {
    if (alert.kind !== "check") continue;
    const def = naemonCheck(alert.name);
    const named = namedFrom(alert, portRules);
    if (!def || named.length === 0) continue;
    const defaultPort = def.naemon.port;
    const entries =
      byCheck.get(def.name) ?? (defaultPort === undefined ? [] : [add(pending, def, defaultPort)]);
    for (const entry of entries) for (const f of named) entry.from.add(formatFrom(f));
  }
  return [...pending.values()].sort(compareEntries).map(toService);
}

function compareEntries(a: Pending, b: Pending): number {
  return cmp(a.def.name, b.def.name) || a.port - b.port;
}

function toService({ def, port, from }: Pending): NaemonService {
  const tls = def.naemon.tls?.ports.includes(port) ? def.naemon.tls : undefined;
  return {
    description: `${def.name} ${port}`,
    check: def.name,
    port,
    tls: tls !== undefined,
    checkCommand: `${(tls ?? def.naemon).command}!${port}`,
    severity: def.severity,
    summary: `${def.summary} (port ${port}${tls ? ", TLS" : ""})`,
    from: [...from].sort(cmp),
  };
}
