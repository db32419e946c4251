/** The built-in check catalog (data in check-catalog.json) and the rules that auto-generate checks. */
import catalog from "./check-catalog.json" with { type: "json" };

export interface CheckDef {
  name: string;
  summary: string;
  severity: "critical" | "warning" | "info";
  /** Prometheus `for` duration. */
  for: string;
  /** PromQL; `LAB_SELECTOR` stands for the label matchers that pick the check's servers. */
  expr: string;
  /** How Naemon runs the check, where it can (renderers/naemon/README.md). */
  naemon?: NaemonCheck;
}

/** A Naemon command run once per port: `$ARG1$` in its line is the port. */
export interface NaemonCommand {
  command: string;
  line: string;
}

export interface NaemonCheck extends NaemonCommand {
  /** The port a check declared by name is run on when no declared port brings it. */
  port?: number;
  /** Ports that speak TLS from the first byte, and the command that checks them. */
  tls?: NaemonCommand & { ports: number[] };
}

/** The check a declared port without a specific check gets (with the port as argument). */
export const GENERIC_PORT_CHECK = "tcp_port";

type RawCatalog = typeof catalog;

function loadChecks(raw: RawCatalog): ReadonlyMap<string, CheckDef> {
  const map = new Map<string, CheckDef>();
  for (const [name, def] of Object.entries(raw.checks)) {
    map.set(name, { name, ...(def as Omit<CheckDef, "name">) });
  }
  return map;
}

export const CHECKS: ReadonlyMap<string, CheckDef> = loadChecks(catalog);

/** Checks every server with a size gets. */
export const SIZE_CHECKS: readonly string[] = catalog.auto.size;
/** Checks every server gets for its identity (certificate). */
export const IDENTITY_CHECKS: readonly string[] = catalog.auto.identity;
/** Checks every server gets for its enrollment (Puppet runs). */
export const ENROLLMENT_CHECKS: readonly string[] = catalog.auto.enrollment;

const PORTS: Readonly<Record<string, string>> = catalog.ports;
const CLASSES: Readonly<Record<string, readonly string[]>> = catalog.classes;

/** The check a declared port brings: a specific one where known, else the generic TCP check. */
export function checkForPort(port: number): string {
  return PORTS[String(port)] ?? GENERIC_PORT_CHECK;
}

/** The checks a known Puppet class brings (none for unknown classes). */
export function checksForClass(className: string): readonly string[] {
  return CLASSES[className.replace(/^::/, "")] ?? [];
}
