/**
 * A health source held in memory, for tests and dry runs: the test sets each server's health and
 * can make the source "down", which answers as a real source that does not answer would.
 */
import { LabError } from "./errors.js";
import type { HealthSnapshot, HealthSource, PillarState, SourceHealth } from "./health-source.js";

export interface MemoryHealthSource extends HealthSource {
  /** Sets one server's health; a bare state means no alerts and no checks. */
  set(server: string, health: PillarState | SourceHealth): void;
  /** Forgets a server: the source no longer reports on it. */
  forget(server: string): void;
  /** Makes every read answer `ok: false` with `reason`; null brings the source back. */
  down(reason: string | null): void;
  /** The value `query` answers for `expr`, per server. */
  setQuery(expr: string, values: ReadonlyMap<string, number>): void;
  query(expr: string, signal: AbortSignal): Promise<Map<string, number>>;
}

export interface MemoryHealthOptions {
  name?: string;
  /** The clock of `at` (default: the system clock). */
  now?: () => Date;
}

function copied(health: SourceHealth): SourceHealth {
  return {
    state: health.state,
    alerts: health.alerts.map((a) => ({ ...a })),
    checks: health.checks.map((c) => ({ ...c })),
  };
}

export function memoryHealthSource(options: MemoryHealthOptions = {}): MemoryHealthSource {
  const name = options.name ?? "memory";
  const now = options.now ?? (() => new Date());
  const servers = new Map<string, SourceHealth>();
  const queries = new Map<string, ReadonlyMap<string, number>>();
  let reason: string | null = null;
  return {
    name,
    kind: "memory",
    set(server, health) {
      servers.set(
        server,
        typeof health === "string" ? { state: health, alerts: [], checks: [] } : copied(health),
      );
    },
    forget(server) {
      servers.delete(server);
    },
    down(why) {
      reason = why;
    },
    setQuery(expr, values) {
      queries.set(expr, new Map(values));
    },
    read(wanted, signal): Promise<HealthSnapshot> {
      signal.throwIfAborted();
      const at = now().toISOString();
      if (reason !== null) {
        return Promise.resolve({ source: name, ok: false, reason, at, servers: new Map() });
      }
      const out = new Map<string, SourceHealth>();
      for (const server of [...wanted].sort()) {
        const health = servers.get(server);
        if (health) out.set(server, copied(health));
      }
      return Promise.resolve({ source: name, ok: true, reason: null, at, servers: out });
    },
    query(expr, signal) {
      signal.throwIfAborted();
      if (reason !== null) return Promise.reject(new LabError("IO", reason));
      return Promise.resolve(new Map(queries.get(expr) ?? []));
    },
  };
}
