/**
 * The SQLite state store's own promises: WAL, the default path, a corrupt file moved aside, paths
 * that cannot be used, migrations (with a snapshot first), snapshots and scheduled backups.
 */
import Database from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stateMigrationProvider, type StateDatabase } from "../adapters/state/schema.js";
import { defaultStatePath } from "../adapters/state/sqlite-files.js";
import { openSqliteStore, type BackupOutcome } from "../adapters/state/sqlite-open.js";
import { LabError } from "../core/errors.js";
import type { Clock } from "../core/state-store.js";
import { asUnprivileged } from "./unprivileged.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-state-sqlite-"));
  temps.push(dir);
  return dir;
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const FIXED: Clock = { now: () => T0 };

function rawQuery<T>(path: string, query: string): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}

function tables(path: string): string[] {
  return rawQuery<{ name: string }>(
    path,
    "select name from sqlite_master where type = 'table' and name like 'lab_%' order by name",
  ).map((r) => r.name);
}

async function caught(work: Promise<unknown>): Promise<LabError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error("expected a LabError");
}

describe("SQLite state store: files", () => {
  it("defaults to ~/.lab/state.db, making ~/.lab with mode 0700", async () => {
    expect(defaultStatePath("/home/ops")).toBe("/home/ops/.lab/state.db");
    const home = tempDir();
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const { store } = await openSqliteStore();
      expect(store.path).toBe(join(home, ".lab", "state.db"));
      await store.close();
    } finally {
      process.env.HOME = saved;
    }
    expect(statSync(join(home, ".lab")).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, ".lab", "state.db")).mode & 0o777).toBe(0o600);
  });

  it("runs in WAL mode and makes missing folders of a given path", async () => {
    const path = join(tempDir(), "deep", "er", "state.db");
    const { store, corrupt, snapshot } = await openSqliteStore({ path });
    expect([corrupt, snapshot]).toEqual([null, null]);
    await store.audit({ who: "a", what: "b" });
    expect(rawQuery<{ journal_mode: string }>(path, "pragma journal_mode")).toEqual([
      { journal_mode: "wal" },
    ]);
    await store.close();
  });

  it("says which path cannot be used and why, never a stack trace", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "a-folder"));
    writeFileSync(join(dir, "a-file"), "x");
    const isDir = await caught(openSqliteStore({ path: join(dir, "a-folder") }));
    expect([isDir.code, isDir.message]).toEqual([
      "IO",
      `cannot open the state store ${join(dir, "a-folder")} for reading and writing: it is a directory (EISDIR)`,
    ]);
    const notDir = await caught(openSqliteStore({ path: join(dir, "a-file", "state.db") }));
    expect([notDir.code, notDir.message]).toEqual([
      "IO",
      `cannot create the state store folder ${join(dir, "a-file")}: it is not a directory (ENOTDIR)`,
    ]);
    const below = await caught(openSqliteStore({ path: join(dir, "a-file", "sub", "state.db") }));
    expect(below.message).toBe(
      `cannot create the state store folder ${join(dir, "a-file", "sub")}: a parent is not a directory (ENOTDIR)`,
    );
    expect([isDir, notDir, below].map((e) => e.message.includes("\n"))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("names the file and the permission it lacks (an unprivileged user)", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const locked = join(dir, "locked");
    mkdirSync(locked, { mode: 0o755 });
    const existing = join(dir, "root-only.db");
    await (await openSqliteStore({ path: existing })).store.close();
    chmodSync(existing, 0o600);
    const [create, open] = await asUnprivileged(async () => [
      await caught(openSqliteStore({ path: join(locked, "state.db") })),
      await caught(openSqliteStore({ path: existing })),
    ]);
    expect(create.message).toBe(
      `cannot open the state store ${join(locked, "state.db")} for reading and writing: permission denied (EACCES)`,
    );
    expect(open.message).toBe(
      `cannot open the state store ${existing} for reading and writing: permission denied (EACCES)`,
    );
  });

  it("waits for another writer's lock, then says the store is busy", async () => {
    const path = join(tempDir(), "state.db");
    const { store } = await openSqliteStore({ path, busyTimeoutMs: 100 });
    const other = new Database(path);
    other.exec("begin immediate");
    try {
      const err = await caught(store.audit({ who: "a", what: "b" }));
      expect([err.code, err.message]).toEqual([
        "STATE",
        `state store ${path}: another process holds its lock longer than the busy timeout (SQLITE_BUSY)`,
      ]);
    } finally {
      other.exec("rollback");
      other.close();
    }
    expect(await store.audit({ who: "a", what: "b" })).toBe(1);
    await store.close();
  });
});

describe("SQLite state store: a corrupt file", () => {
  const moved = `state.db.corrupt-20260102T030405.006Z`;

  it("moves a file of garbage aside with its -wal and -shm, and starts fresh", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    const garbage = Buffer.from("this is not a database, just some bytes ".repeat(200));
    writeFileSync(path, garbage);
    writeFileSync(`${path}-wal`, "wal garbage");
    writeFileSync(`${path}-shm`, "shm garbage");
    const { store, corrupt } = await openSqliteStore({ path, clock: FIXED });
    expect(corrupt).toEqual({
      file: path,
      movedTo: join(dir, moved),
      reason: "not a SQLite database: the file does not start with the SQLite header",
      message:
        `state store ${path} is corrupt (not a SQLite database: the file does not start with ` +
        `the SQLite header): moved it to ` +
        `${join(dir, moved)} and started a fresh store; the next pass converges from Git`,
    });
    expect(readFileSync(join(dir, moved)).equals(garbage)).toBe(true);
    expect(readFileSync(join(dir, `${moved}-wal`), "utf8")).toBe("wal garbage");
    expect(readFileSync(join(dir, `${moved}-shm`), "utf8")).toBe("shm garbage");
    const run = await store.startRun({ revision: "r1", trigger: "poll" });
    await store.recordApplied("enc", "r1", { "enc/a.yaml": "h" });
    expect((await store.lastRuns(5)).map((r) => r.id)).toEqual([run]);
    await store.close();
    const again = await openSqliteStore({ path, clock: FIXED });
    expect(again.corrupt).toBeNull();
    expect((await again.store.applied("enc"))?.revision).toBe("r1");
    await again.store.close();
  });

  it("moves aside a file with a valid header and a damaged page", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    await (await openSqliteStore({ path })).store.close();
    const raw = new Database(path);
    const insert = raw.prepare("insert into lab_audit (at, who, what, detail) values (?, ?, ?, ?)");
    raw.transaction(() => {
      for (let i = 0; i < 400; i++) insert.run(T0, `user-${i}`, "apply", "x".repeat(200));
    })();
    raw.close(); // the last connection checkpoints the WAL into the file
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length).toBeGreaterThan(pageSize * 8);
    bytes.fill(0xa5, pageSize * 4, pageSize * 6); // two pages of the audit table's b-tree
    writeFileSync(path, bytes);
    const opened = await openSqliteStore({ path, clock: FIXED });
    expect(opened.corrupt?.movedTo).toBe(join(dir, moved));
    expect(opened.corrupt?.message).toMatch(
      new RegExp(`^state store ${path} is corrupt \\(.+\\): moved it to ${join(dir, moved)} and`),
    );
    expect(readFileSync(join(dir, moved)).equals(bytes)).toBe(true);
    expect(await opened.store.auditLog()).toEqual([]);
    expect(await opened.store.audit({ who: "a", what: "b" })).toBe(1);
    await opened.store.close();
  });

  it("never overwrites an earlier corrupt copy moved aside at the same time", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    writeFileSync(path, "garbage one ".repeat(100));
    await (await openSqliteStore({ path, clock: FIXED })).store.close();
    writeFileSync(path, "garbage two ".repeat(100));
    const second = await openSqliteStore({ path, clock: FIXED });
    expect(second.corrupt?.movedTo).toBe(join(dir, `${moved}-1`));
    expect(readFileSync(join(dir, moved), "utf8")).toMatch(/^garbage one/);
    await second.store.close();
  });
});

describe("SQLite state store: migrations and backups", () => {
  async function previousVersion(path: string, upTo = "001-core"): Promise<void> {
    const db = new Kysely<StateDatabase>({
      dialect: new SqliteDialect({ database: new Database(path) }),
    });
    const migrator = new Migrator({ db, provider: stateMigrationProvider("sqlite") });
    const { error } = await migrator.migrateTo(upTo);
    expect(error).toBeUndefined();
    await db
      .insertInto("lab_runs")
      .values({ revision: "old", trigger: "poll", started_at: T0 })
      .execute();
    await db.destroy();
  }

  it("creates every table in a fresh store, with no snapshot", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    const { store, snapshot } = await openSqliteStore({ path });
    await store.close();
    expect(snapshot).toBeNull();
    expect(tables(path)).toEqual([
      "lab_applied",
      "lab_applied_artifacts",
      "lab_audit",
      "lab_deliveries",
      "lab_journal",
      "lab_leases",
      "lab_merged_pulls",
      "lab_observed",
      "lab_pull_plans",
      "lab_puppet_runs",
      "lab_runs",
    ]);
    expect(readdirSync(dir).filter((n) => n.includes(".pre-"))).toEqual([]);
  });

  it("snapshots a store of the previous version before migrating it", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    await previousVersion(path);
    expect(tables(path)).not.toContain("lab_journal");
    const { store, snapshot } = await openSqliteStore({ path, clock: FIXED });
    const expected = join(dir, "state.db.pre-002-journal-20260102T030405.006Z");
    expect(snapshot).toBe(expected);
    expect(tables(expected)).not.toContain("lab_journal");
    expect(rawQuery(expected, "select name from kysely_migration")).toEqual([{ name: "001-core" }]);
    expect(rawQuery(expected, "select revision from lab_runs")).toEqual([{ revision: "old" }]);
    const [old] = await store.lastRuns(1);
    expect(old?.revision).toBe("old");
    expect(await store.journalIntent(old!.id, "enc", "write", "k")).toBe("new");
    await store.close();
    const again = await openSqliteStore({ path, clock: FIXED });
    expect(again.snapshot).toBeNull();
    await again.store.close();
  });

  it("adds what lab serve keeps to a store of the release before, keeping its data", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    await previousVersion(path, "003-audit-append-only");
    expect(tables(path)).not.toContain("lab_pull_plans");
    const { store, snapshot } = await openSqliteStore({ path, clock: FIXED });
    expect(snapshot).toBe(join(dir, "state.db.pre-004-serve-20260102T030405.006Z"));
    expect((await store.lastRuns(1)).map((r) => r.revision)).toEqual(["old"]);
    expect(await store.recordDelivery("d-1")).toBe(true);
    expect(await store.recordDelivery("d-1")).toBe(false);
    expect(await store.openPulls()).toEqual([]);
    await store.close();
    expect(tables(path)).toEqual(expect.arrayContaining(["lab_deliveries", "lab_pull_plans"]));
  });

  it("adds the Puppet runs to a store of the release before, with a snapshot first", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    await previousVersion(path, "004-serve");
    expect(tables(path)).not.toContain("lab_puppet_runs");
    const { store, snapshot } = await openSqliteStore({ path, clock: FIXED });
    expect(snapshot).toBe(join(dir, "state.db.pre-005-puppet-20260102T030405.006Z"));
    expect((await store.lastRuns(1)).map((r) => r.revision)).toEqual(["old"]);
    expect(await store.puppetRuns()).toEqual([]);
    await store.close();
    expect(tables(path)).toContain("lab_puppet_runs");
  });

  it("adds the merged pull requests' waiting list to a store of the release before", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    await previousVersion(path, "005-puppet");
    expect(tables(path)).not.toContain("lab_merged_pulls");
    const { store, snapshot } = await openSqliteStore({ path, clock: FIXED });
    expect(snapshot).toBe(join(dir, "state.db.pre-006-merged-20260102T030405.006Z"));
    expect(await store.mergedWaiting()).toEqual([]);
    await store.close();
    expect(tables(path)).toContain("lab_merged_pulls");
  });

  it("refuses a store written by a newer lab, naming the migration it does not know", async () => {
    const path = join(tempDir(), "state.db");
    await (await openSqliteStore({ path })).store.close();
    const db = new Database(path);
    db.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run(
      "999-future",
      "x",
    );
    db.close();
    const err = await caught(openSqliteStore({ path }));
    expect([err.code, err.message]).toEqual([
      "STATE",
      `state store ${path} has migrations this lab does not know (999-future): it was written by ` +
        "a newer lab; run that version or point --state elsewhere",
    ]);
  });

  it("takes an online snapshot that opens as a store with the same data", async () => {
    const dir = tempDir();
    const { store } = await openSqliteStore({ path: join(dir, "state.db") });
    const run = await store.startRun({ revision: "r1", trigger: "poll" });
    await store.recordApplied("naemon", "r1", { "naemon/a.cfg": "ha" });
    await store.audit({ who: "alice", what: "apply", revision: "r1" });
    await store.snapshot(join(dir, "copy.db"));
    await store.finishRun(run, { result: "ok", diagnostics: 0 }); // after the snapshot
    const err = await caught(store.snapshot(join(dir, "copy.db")));
    expect(err.message).toBe(`snapshot ${join(dir, "copy.db")}: it already exists (EEXIST)`);
    await store.close();
    const copy = await openSqliteStore({ path: join(dir, "copy.db") });
    expect([copy.corrupt, copy.snapshot]).toEqual([null, null]);
    expect((await copy.store.lastRuns(5)).map((r) => [r.revision, r.result])).toEqual([
      ["r1", null],
    ]);
    expect((await copy.store.applied("naemon"))?.artifacts).toEqual({ "naemon/a.cfg": "ha" });
    expect((await copy.store.auditLog()).map((e) => e.who)).toEqual(["alice"]);
    await copy.store.close();
  });

  it("backs up on a schedule to <path>.backup and stops when closed", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    const outcomes: BackupOutcome[] = [];
    const { store } = await openSqliteStore({
      path,
      backupEvery: 40,
      onBackup: (outcome) => outcomes.push(outcome),
    });
    await store.audit({ who: "alice", what: "apply" });
    for (let i = 0; i < 100 && outcomes.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(outcomes.slice(0, 2)).toEqual([
      { ok: true, path: `${path}.backup` },
      { ok: true, path: `${path}.backup` },
    ]);
    await store.close();
    const seen = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(outcomes.length).toBe(seen);
    expect(rawQuery(`${path}.backup`, "select who from lab_audit")).toEqual([{ who: "alice" }]);
    expect(readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
    expect(existsSync(`${path}.backup`)).toBe(true);
  });
});
