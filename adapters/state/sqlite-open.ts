/**
 * The SQLite state store (the default): better-sqlite3 in WAL mode with a busy timeout and foreign
 * keys, queried through kysely. A file that is not a database or fails `PRAGMA quick_check` is
 * moved aside and a fresh store starts (the next pass converges from Git); the open result says
 * so. `snapshot` copies the live store with `VACUUM INTO`; one is taken before a migration changes
 * an existing store, and on a schedule with `backupEvery`.
 */
import Database from "better-sqlite3";
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { Kysely, sql, SqliteDialect } from "kysely";
import { LabError } from "../../core/errors.js";
import { SYSTEM_CLOCK, type Clock, type StateStore } from "../../core/state-store.js";
import { migrateStore } from "./migrate.js";
import type { StateDatabase } from "./schema.js";
import { createSqlStateStore } from "./sql-state-store.js";
import {
  defaultStatePath,
  fileStamp,
  freeName,
  moveAside,
  prepareStoreFile,
} from "./sqlite-files.js";

export type BackupOutcome = { ok: true; path: string } | { ok: false; error: LabError };

export interface SqliteStoreOptions {
  /** Default `~/.lab/state.db` (what `--state PATH` overrides). */
  path?: string;
  clock?: Clock;
  /** Take a snapshot to `<path>.backup` every this many ms (an unref'd timer; stops on close). */
  backupEvery?: number;
  /** Told the outcome of each scheduled backup. */
  onBackup?: (outcome: BackupOutcome) => void;
  /** How long a writer waits for another process's lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** How many webhook delivery ids to keep (default KEEP_DELIVERIES). */
  keepDeliveries?: number;
}

export interface SqliteStateStore extends StateStore {
  readonly path: string;
  /** An online copy of the whole store at `target` (which must not exist). */
  snapshot(target: string, signal?: AbortSignal): Promise<void>;
  /** Replaces `<path>.backup` with a fresh snapshot; returns its path. */
  backup(signal?: AbortSignal): Promise<string>;
}

/** A corrupt store found at open: what it was, where it went, and the line to show the user. */
export interface CorruptStore {
  file: string;
  movedTo: string;
  reason: string;
  message: string;
}

export interface OpenedSqliteStore {
  store: SqliteStateStore;
  /** Set when the file at `path` was corrupt and a fresh store started in its place. */
  corrupt: CorruptStore | null;
  /** The snapshot taken before migrating an existing store, or null. */
  snapshot: string | null;
}

const CORRUPT_CODES = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT"]);

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

function describeSqliteError(path: string, err: unknown): LabError {
  const code = sqliteCode(err);
  const why =
    code === "SQLITE_BUSY"
      ? "another process holds its lock longer than the busy timeout"
      : err instanceof Error
        ? err.message
        : String(err);
  return new LabError("STATE", `state store ${path}: ${why}${code ? ` (${code})` : ""}`, {
    cause: err,
  });
}

const SQLITE_HEADER = "SQLite format 3\0";

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, "; ");
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function errorText(err: unknown): string {
  const code = sqliteCode(err);
  return `${err instanceof Error ? err.message : String(err)}${code ? ` (${code})` : ""}`;
}

/**
 * Why the file is corrupt, or null when it is a sound database (or empty: a new one). The header
 * is read first and the check runs on a read-only connection, so a bad file, its -wal and -shm
 * are left as they were for moving aside.
 */
function corruptReason(path: string): string | null {
  const head = Buffer.alloc(16);
  const fd = openSync(path, "r");
  let read: number;
  try {
    read = readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return null;
  if (read < 16 || head.toString("latin1") !== SQLITE_HEADER) {
    return "not a SQLite database: the file does not start with the SQLite header";
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const check: unknown = db.pragma("quick_check", { simple: true });
    return check === "ok" ? null : `quick_check: ${oneLine(String(check))}`;
  } catch (err) {
    const code = sqliteCode(err);
    if (code && CORRUPT_CODES.has(code)) return oneLine(errorText(err));
    throw new LabError("IO", `cannot open the state store ${path}: ${errorText(err)}`, {
      cause: err,
    });
  } finally {
    db?.close();
  }
}

/** The read-write connection: WAL, busy timeout, foreign keys, full sync. */
function openWritable(path: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = FULL");
    return db;
  } catch (err) {
    db?.close();
    throw new LabError("IO", `cannot open the state store ${path}: ${errorText(err)}`, {
      cause: err,
    });
  }
}

function openDatabase(path: string, clock: Clock, busyTimeoutMs: number) {
  prepareStoreFile(path);
  const reason = corruptReason(path);
  if (reason === null) return { db: openWritable(path, busyTimeoutMs), corrupt: null };
  const movedTo = moveAside(path, clock.now());
  prepareStoreFile(path);
  const message =
    `state store ${path} is corrupt (${reason}): moved it to ${movedTo} and started a ` +
    "fresh store; the next pass converges from Git";
  const db = openWritable(path, busyTimeoutMs);
  return { db, corrupt: { file: path, movedTo, reason, message } };
}

export async function openSqliteStore(
  options: SqliteStoreOptions = {},
): Promise<OpenedSqliteStore> {
  const path = resolve(options.path ?? defaultStatePath());
  const clock = options.clock ?? SYSTEM_CLOCK;
  const { db: raw, corrupt } = openDatabase(path, clock, options.busyTimeoutMs ?? 5000);
  const db = new Kysely<StateDatabase>({ dialect: new SqliteDialect({ database: raw }) });
  const describe = (err: unknown) => describeSqliteError(path, err);
  const snapshot = async (target: string, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    if (existsSync(target))
      throw new LabError("IO", `snapshot ${target}: it already exists (EEXIST)`);
    try {
      await sql`VACUUM INTO ${target}`.execute(db);
    } catch (err) {
      throw new LabError(
        "STATE",
        `snapshot of ${path} to ${target} failed: ${describe(err).message}`,
        {
          cause: err,
        },
      );
    }
  };
  let taken: string | null;
  try {
    taken = await migrateStore(db, "sqlite", path, async (before) => {
      const target = freeName(`${path}.pre-${before}-${fileStamp(clock.now())}`);
      await snapshot(target);
      return target;
    });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const backup = async (signal?: AbortSignal): Promise<string> => {
    const target = `${path}.backup`;
    const temp = `${target}.tmp-${process.pid}`;
    rmSync(temp, { force: true });
    await snapshot(temp, signal);
    renameSync(temp, target);
    return target;
  };
  const timer = scheduleBackups(options, backup);
  const base = createSqlStateStore({
    db,
    kind: "sqlite",
    clock,
    leaseTime: "clock",
    describeError: describe,
    onClose: () => clearInterval(timer),
    ...(options.keepDeliveries !== undefined && { keepDeliveries: options.keepDeliveries }),
  });
  const store: SqliteStateStore = Object.assign(base, { path, snapshot, backup });
  return { store, corrupt, snapshot: taken };
}

function scheduleBackups(
  options: SqliteStoreOptions,
  backup: () => Promise<string>,
): NodeJS.Timeout | undefined {
  const every = options.backupEvery;
  if (every === undefined) return undefined;
  if (!Number.isSafeInteger(every) || every <= 0) {
    throw new LabError("INTERNAL", `backupEvery must be a positive integer of ms, got ${every}`);
  }
  const timer = setInterval(() => {
    backup().then(
      (path) => options.onBackup?.({ ok: true, path }),
      (err: unknown) =>
        options.onBackup?.({
          ok: false,
          error: err instanceof LabError ? err : new LabError("STATE", String(err), { cause: err }),
        }),
    );
  }, every);
  timer.unref();
  return timer;
}
