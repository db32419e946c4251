/**
 * The PostgreSQL state store (several replicas; CockroachDB speaks the same protocol): pg's pool
 * under kysely, the same migrations as SQLite (kysely takes an advisory lock while they run).
 * Lease times come from the database's own `now()`, so replicas whose clocks differ still agree
 * on who holds a lease; every other time comes from the clock passed in.
 */
import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import { LabError } from "../../core/errors.js";
import { ioReason } from "../../core/io-reason.js";
import { SYSTEM_CLOCK, type Clock, type StateStore } from "../../core/state-store.js";
import { migrateStore } from "./migrate.js";
import type { StateDatabase } from "./schema.js";
import { createSqlStateStore } from "./sql-state-store.js";

export interface PostgresStoreOptions {
  /** `postgres://…` or `postgresql://…` (LAB_DATABASE_URL). */
  url: string;
  clock?: Clock;
  /** Connections in the pool (default 4). */
  maxConnections?: number;
  /** How long to wait for a connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** How many webhook delivery ids to keep (default KEEP_DELIVERIES). */
  keepDeliveries?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/** `host:port/database` of a URL, never its user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || "localhost";
    const db = decodeURIComponent(u.pathname.replace(/^\//, ""));
    return `${host}:${u.port || "5432"}${db ? `/${db}` : ""}`;
  } catch {
    return "(a URL that does not parse)";
  }
}

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "timed out",
  ENOTFOUND: "host not found",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EAI_AGAIN: "name lookup failed",
};

/** The reason in a few words: a network error's errno, a server error's SQLSTATE. */
export function postgresReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && err instanceof Error) {
    return `${err.message} (SQLSTATE ${code})`;
  }
  if (err instanceof AggregateError && err.errors.length > 0) {
    return ioReason(err.errors[0], NETWORK_WORDS);
  }
  // pg says so only in words: "timeout expired", "Connection terminated due to connection timeout".
  if (err instanceof Error && /timeout expired|connection timeout/i.test(err.message)) {
    return "connect timed out";
  }
  return ioReason(err, NETWORK_WORDS);
}

function describePostgresError(where: string, err: unknown): LabError {
  return new LabError("STATE", `state database ${where}: ${postgresReason(err)}`, { cause: err });
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<StateStore> {
  if (!isPostgresUrl(options.url)) {
    throw new LabError(
      "USAGE",
      "a PostgreSQL state store needs a postgres:// or postgresql:// URL",
    );
  }
  const where = describeUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const db = new Kysely<StateDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateStore(db, "postgres", where);
  } catch (err) {
    await db.destroy();
    if (err instanceof LabError) throw err;
    throw new LabError(
      "STATE",
      `cannot reach the state database ${where}: ${postgresReason(err)}`,
      {
        cause: err,
      },
    );
  }
  return createSqlStateStore({
    db,
    kind: "postgres",
    clock: options.clock ?? SYSTEM_CLOCK,
    leaseTime: "database",
    describeError: (err) => describePostgresError(where, err),
    ...(options.keepDeliveries !== undefined && { keepDeliveries: options.keepDeliveries }),
  });
}
