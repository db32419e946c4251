/**
 * A private, throwaway PostgreSQL cluster for a test file: `initdb` in a temp dir owned by the
 * `postgres` user (initdb refuses root), `pg_ctl start` on a free loopback port with the socket in
 * the same dir, one database, and `stop()` that shuts it down and removes the dir. Where it cannot
 * start, it throws with the reason and the server log: the suite fails, it never skips.
 */
import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import pg from "pg";
import { requireTool } from "./tools.js";

/** Where Debian's postgresql-15 puts initdb and pg_ctl (not on PATH by default). */
export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/lab` */
  url: string;
  port: number;
  /** A new, empty database of its own in the cluster (one per test): its URL. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** Runs a PostgreSQL program, as the postgres user when we are root. */
function runPg(program: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", program, ...args]]
    : [program, args];
  execFileSync(command, argv, { stdio: "pipe", encoding: "utf8", timeout: 60_000 });
}

function failure(step: string, err: unknown, log: string): Error {
  const stderr = (err as { stderr?: string }).stderr ?? "";
  let tail = "";
  try {
    tail = readFileSync(log, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    // no log yet
  }
  const why = err instanceof Error ? err.message : String(err);
  return new Error(`PostgreSQL test cluster: ${step} failed: ${why}\n${stderr}\n${tail}`, {
    cause: err,
  });
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const path = [process.env.PATH ?? "", POSTGRES_BIN].join(delimiter);
  const initdb = requireTool("initdb", { PATH: path });
  const pgCtl = join(dirname(initdb), "pg_ctl");
  const dir = mkdtempSync(join(tmpdir(), "lab-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  const port = await freePort();
  let started = false;
  const stop = (): Promise<void> => {
    try {
      if (started) runPg(pgCtl, ["-D", data, "-m", "fast", "-w", "stop"]);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(failure("pg_ctl stop", err, log));
    } finally {
      started = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (process.getuid?.() === 0) {
      const { uid, gid } = userIds("postgres");
      chownSync(dir, uid, gid);
      mkdirSync(data, { mode: 0o700 });
      chownSync(data, uid, gid);
    }
    try {
      runPg(initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    } catch (err) {
      throw failure("initdb", err, log);
    }
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    try {
      runPg(pgCtl, ["-D", data, "-o", serverOptions, "-l", log, "-w", "-t", "30", "start"]);
      started = true;
    } catch (err) {
      throw failure("pg_ctl start", err, log);
    }
    const admin = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    });
    await admin.connect();
    try {
      await admin.query("CREATE DATABASE lab");
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/lab`;
  let databases = 0;
  const freshDatabase = async (): Promise<string> => {
    const name = `t${++databases}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return url.replace(/\/lab$/, `/${name}`);
  };
  return { url, port, freshDatabase, stop };
}
