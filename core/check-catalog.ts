/** The built-in check catalog (data in check-catalog.json) and the rules that auto-generate checks. */
import catalog from "./check-catalog.json" with { type: "json" };

export interface CheckDef {
  name: string;
  summary: string;
  severity: "critical" | "warning" | "info";
  /** Prometheus `for` duration. */
  for: string;
  /**
   * Plain PromQL. The Prometheus renderer restricts it to the check's servers by putting the
   * membership matcher into every selector of a metric a per-server job produces.
   */
  expr: string;
  /** The scrape job (in JOBS) that produces the series `expr` reads. */
  job: string;
  /** The blackbox probe of a port check. */
  probe?: ProbeDef;
  /** The per-size threshold that replaces the number `expr` compares with (one rule per size). */
  threshold?: SizeThreshold;
  /** PromQL that fires when the series are missing; default: the job's targets are down. */
  no_data?: string;
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

/** The per-size thresholds a size may set (sizes.<name>.thresholds). */
export type SizeThreshold = "cpu_percent" | "memory_percent";

/** A blackbox probe: the protocol (also the `probe` label of its series) and its ports. */
export interface ProbeDef {
  protocol: string;
  /** The port probed for a check declared by name when no declared port brings it. */
  port?: number;
  /** Ports that speak TLS from the first byte. */
  tls_ports?: number[];
}

/**
 * Where a job's targets are: `server` — an exporter on every server that gets one of the job's
 * checks, at the server's address and `port`; `probe` — the blackbox exporter probing the
 * servers' ports; `cluster` — an exporter for a whole cluster (its series name the server in a
 * label of their own); `lab` — lab's own /metrics.
 */
export type JobScope = "server" | "probe" | "cluster" | "lab";

export interface JobDef {
  name: string;
  scope: JobScope;
  port?: number;
  scheme?: "http" | "https";
  /** What serves the metrics. */
  exporter: string;
  /** The metrics the job produces that catalog checks read. */
  metrics: readonly string[];
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

function loadJobs(raw: RawCatalog): ReadonlyMap<string, JobDef> {
  const map = new Map<string, JobDef>();
  for (const [name, def] of Object.entries(raw.jobs)) {
    map.set(name, { name, ...(def as Omit<JobDef, "name">) });
  }
  return map;
}

/** The suffix of a check's companion alert, which fires when the check's series are missing. */
export const NO_DATA_SUFFIX = "_no_data";

/** The check whose rules use alert `name` (the check itself or its companion), or null. */
export function catalogAlertOwner(name: string): string | null {
  if (CHECKS.has(name)) return name;
  const base = name.endsWith(NO_DATA_SUFFIX) ? name.slice(0, -NO_DATA_SUFFIX.length) : null;
  return base !== null && CHECKS.has(base) ? base : null;
}

/** The scrape jobs that produce the series of the catalog's checks. */
export const JOBS: ReadonlyMap<string, JobDef> = loadJobs(catalog);

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
