/** Brings a store's schema to the latest migration, with a hook to snapshot an existing store first. */
import type { Kysely } from "kysely";
import { Migrator } from "kysely";
import { LabError } from "../../core/errors.js";
import { stateMigrationProvider, type SqlDialect, type StateDatabase } from "./schema.js";

export function stateMigrator(db: Kysely<StateDatabase>, dialect: SqlDialect): Migrator {
  return new Migrator({ db, provider: stateMigrationProvider(dialect) });
}

/**
 * Runs the pending migrations. When the store already has some and more are pending,
 * `beforeChange(first pending name)` runs first (the SQLite store takes a snapshot there); its
 * result is returned. `where` names the store in messages.
 */
export async function migrateStore(
  db: Kysely<StateDatabase>,
  dialect: SqlDialect,
  where: string,
  beforeChange?: (firstPending: string) => Promise<string>,
): Promise<string | null> {
  const migrator = stateMigrator(db, dialect);
  const known = new Set((await migrator.getMigrations()).map((m) => m.name));
  const applied = await appliedNames(db);
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new LabError(
      "STATE",
      `state store ${where} has migrations this lab does not know (${unknown.join(", ")}): ` +
        "it was written by a newer lab; run that version or point --state elsewhere",
    );
  }
  const pending = [...known].filter((name) => !applied.includes(name)).sort();
  let taken: string | null = null;
  if (applied.length > 0 && pending.length > 0 && beforeChange) {
    taken = await beforeChange(pending[0]!);
  }
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) return taken;
    // Two SQLite processes opening a fresh file at once: the one that lost the race finds the
    // schema made by the other. (PostgreSQL runs migrations under kysely's advisory lock.)
    const now = await appliedNames(db);
    if ([...known].every((name) => now.includes(name))) return taken;
    if (attempt < MIGRATE_ATTEMPTS) {
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      continue;
    }
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "?";
    const why = error instanceof Error ? error.message : JSON.stringify(error);
    throw new LabError("STATE", `state store ${where}: migration ${failed} failed: ${why}`, {
      cause: error,
    });
  }
}

const MIGRATE_ATTEMPTS = 5;

/** The migrations the store has run; none for a fresh store (no migration table yet). */
async function appliedNames(db: Kysely<StateDatabase>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === "kysely_migration")) return [];
  const rows = await (db as unknown as Kysely<{ kysely_migration: { name: string } }>)
    .selectFrom("kysely_migration")
    .select("name")
    .execute();
  return rows.map((r) => r.name).sort();
}
