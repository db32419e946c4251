/**
 * The state store's tables and their migrations, written once for SQLite and PostgreSQL with
 * kysely's schema builder. Migrations live in code (a static list): nothing is read from disk at
 * run time. Times are integers of milliseconds since the epoch; JSON is kept as text.
 */
import type { Generated, Kysely, Migration, MigrationProvider } from "kysely";
import { sql } from "kysely";

export type SqlDialect = "sqlite" | "postgres";

/** PostgreSQL's pg returns bigint as a string: the adapters turn every such column into a number. */
type Int = number | string;

export interface RunsTable {
  id: Generated<Int>;
  revision: string;
  trigger: string;
  started_at: Int;
  finished_at: Int | null;
  result: string | null;
  diagnostics: Int | null;
  error: string | null;
}

export interface AppliedTable {
  target: string;
  revision: string;
  applied_at: Int;
}

export interface AppliedArtifactsTable {
  target: string;
  path: string;
  hash: string;
}

export interface JournalTable {
  target: string;
  step: string;
  key: string;
  run_id: Int;
  intended_at: Int;
  done_at: Int | null;
}

export interface ObservedTable {
  provider: string;
  stack: string;
  state: string;
  observed_at: Int;
}

export interface LeasesTable {
  target: string;
  holder: string;
  expires_at: Int;
  acquired_at: Int;
}

export interface AuditTable {
  id: Generated<Int>;
  at: Int;
  who: string;
  what: string;
  revision: string | null;
  detail: string;
}

export interface DeliveriesTable {
  id: string;
  seen_at: Int;
}

export interface PullPlansTable {
  number: Int;
  head_sha: string;
  base_sha: string;
  merge_sha: string | null;
  summary: string;
  plan: string;
  comment_id: string | null;
  comment_hash: string | null;
  updated_at: Int;
  closed_at: Int | null;
}

/** A merged pull request waiting for the result of the apply that follows. */
export interface MergedPullsTable {
  number: Int;
  head_sha: string;
  merged_at: Int;
}

/** Each Puppet node's last run: the run as JSON, with what the store decides on beside it. */
export interface PuppetRunsTable {
  node: string;
  /** The report's time, ms: a run older than the one kept is not kept. */
  run_time: Int;
  status: string;
  /** 1 when the node was a server of the applied revision, else 0. */
  known: Int;
  received_at: Int;
  /** The whole PuppetRun as JSON. */
  run: string;
}

export interface StateDatabase {
  lab_runs: RunsTable;
  lab_applied: AppliedTable;
  lab_applied_artifacts: AppliedArtifactsTable;
  lab_journal: JournalTable;
  lab_observed: ObservedTable;
  lab_leases: LeasesTable;
  lab_audit: AuditTable;
  lab_deliveries: DeliveriesTable;
  lab_pull_plans: PullPlansTable;
  lab_puppet_runs: PuppetRunsTable;
  lab_merged_pulls: MergedPullsTable;
}

/** An id column that numbers itself: SQLite's rowid alias, PostgreSQL's bigserial. */
function idType(dialect: SqlDialect) {
  return dialect === "postgres" ? sql`bigserial` : sql`integer`;
}

async function createCore(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("lab_runs")
    .addColumn("id", idType(dialect), (c) => c.primaryKey())
    .addColumn("revision", "text", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("finished_at", "bigint")
    .addColumn("result", "text")
    .addColumn("diagnostics", "integer")
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createTable("lab_applied")
    .addColumn("target", "text", (c) => c.primaryKey())
    .addColumn("revision", "text", (c) => c.notNull())
    .addColumn("applied_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("lab_applied_artifacts")
    .addColumn("target", "text", (c) =>
      c.notNull().references("lab_applied.target").onDelete("cascade"),
    )
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("lab_applied_artifacts_pk", ["target", "path"])
    .execute();
  await db.schema
    .createTable("lab_observed")
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("stack", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("observed_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("lab_observed_pk", ["provider", "stack"])
    .execute();
  await db.schema
    .createTable("lab_leases")
    .addColumn("target", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("acquired_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("lab_audit")
    .addColumn("id", idType(dialect), (c) => c.primaryKey())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("who", "text", (c) => c.notNull())
    .addColumn("what", "text", (c) => c.notNull())
    .addColumn("revision", "text")
    .addColumn("detail", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("lab_audit_at").on("lab_audit").column("at").execute();
}

async function createJournal(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("lab_journal")
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("step", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("run_id", "bigint", (c) => c.notNull().references("lab_runs.id"))
    .addColumn("intended_at", "bigint", (c) => c.notNull())
    .addColumn("done_at", "bigint")
    .addPrimaryKeyConstraint("lab_journal_pk", ["target", "step", "key"])
    .execute();
  await db.schema.createIndex("lab_journal_pending").on("lab_journal").column("done_at").execute();
}

/** The database itself refuses to change or delete an audit entry (the API has no way either). */
async function auditAppendOnly(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  if (dialect === "sqlite") {
    for (const event of ["update", "delete"]) {
      await sql
        .raw(
          `create trigger lab_audit_no_${event} before ${event} on lab_audit ` +
            "begin select raise(abort, 'the audit log is append-only'); end",
        )
        .execute(db);
    }
    return;
  }
  await sql`create function lab_audit_append_only() returns trigger language plpgsql as $$
    begin raise exception 'the audit log is append-only'; end $$`.execute(db);
  await sql`create trigger lab_audit_no_change before update or delete or truncate on lab_audit
    for each statement execute function lab_audit_append_only()`.execute(db);
}

/** What `lab serve` keeps between events: webhook deliveries seen, each pull request's plan. */
async function createServe(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("lab_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seen_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("lab_deliveries_seen")
    .on("lab_deliveries")
    .column("seen_at")
    .execute();
  await db.schema
    .createTable("lab_pull_plans")
    .addColumn("number", "bigint", (c) => c.primaryKey())
    .addColumn("head_sha", "text", (c) => c.notNull())
    .addColumn("base_sha", "text", (c) => c.notNull())
    .addColumn("merge_sha", "text")
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("plan", "text", (c) => c.notNull())
    .addColumn("comment_id", "text")
    .addColumn("comment_hash", "text")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("closed_at", "bigint")
    .execute();
}

/** Each Puppet node's last run, one row per node (`POST /puppet/reports`). */
async function createPuppet(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("lab_puppet_runs")
    .addColumn("node", "text", (c) => c.primaryKey())
    .addColumn("run_time", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("known", "integer", (c) => c.notNull())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .addColumn("run", "text", (c) => c.notNull())
    .execute();
}

/** Merged pull requests waiting for the apply that brings their change (kept across restarts). */
async function createMerged(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("lab_merged_pulls")
    .addColumn("number", "bigint", (c) => c.primaryKey())
    .addColumn("head_sha", "text", (c) => c.notNull())
    .addColumn("merged_at", "bigint", (c) => c.notNull())
    .execute();
}

/** Every migration in order; names sort in the order they run. */
export function stateMigrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    "001-core": { up: (db) => createCore(db, dialect) },
    "002-journal": { up: (db) => createJournal(db) },
    "003-audit-append-only": { up: (db) => auditAppendOnly(db, dialect) },
    "004-serve": { up: (db) => createServe(db) },
    "005-puppet": { up: (db) => createPuppet(db) },
    "006-merged": { up: (db) => createMerged(db) },
  };
}

export function stateMigrationProvider(dialect: SqlDialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(stateMigrations(dialect)) };
}
