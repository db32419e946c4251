/**
 * Opening a state store: the registry, which backend the options pick, and a PostgreSQL that is
 * down or refuses us, named by host:port and never by its password.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  openStateStore,
  STATE_STORES,
  stateStoreKind,
} from "../adapters/state/open-state-store.js";
import { describeUrl, openPostgresStore } from "../adapters/state/postgres-open.js";
import { LabError } from "../core/errors.js";
import { STATE_STORE_KINDS } from "../core/state-store.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
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

describe("opening a state store", () => {
  it("has one registry entry per kind, in the contract's order", () => {
    expect([...STATE_STORES.keys()]).toEqual([...STATE_STORE_KINDS]);
    expect([...STATE_STORE_KINDS]).toEqual(["sqlite", "postgres", "memory"]);
  });

  it("picks PostgreSQL for a postgres:// or postgresql:// URL, else SQLite", () => {
    expect(stateStoreKind({})).toBe("sqlite");
    expect(stateStoreKind({ path: "/x/state.db" })).toBe("sqlite");
    expect(stateStoreKind({ url: "" })).toBe("sqlite");
    expect(stateStoreKind({ url: "postgres://db:5432/lab", path: "/x" })).toBe("postgres");
    expect(stateStoreKind({ url: "postgresql://db/lab" })).toBe("postgres");
    expect(stateStoreKind({ url: "POSTGRES://db/lab" })).toBe("postgres");
    expect(stateStoreKind({ kind: "memory", url: "postgres://db/lab" })).toBe("memory");
    expect(() => stateStoreKind({ url: "mysql://db/lab" })).toThrow(
      "LAB_DATABASE_URL must start with postgres:// or postgresql:// (unset it for SQLite)",
    );
  });

  it("opens SQLite at the path given, and memory when asked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-state-open-"));
    temps.push(dir);
    const sqlite = await openStateStore({ path: join(dir, "s.db") });
    expect([sqlite.store.kind, sqlite.corrupt, sqlite.snapshot]).toEqual(["sqlite", null, null]);
    await sqlite.store.audit({ who: "a", what: "b" });
    await sqlite.store.close();
    const again = await openStateStore({ path: join(dir, "s.db") });
    expect((await again.store.auditLog()).map((e) => e.who)).toEqual(["a"]);
    await again.store.close();
    const memory = await openStateStore({ kind: "memory" });
    expect(memory.store.kind).toBe("memory");
    await memory.store.close();
  });

  it("describes a URL by host, port and database, never user or password", () => {
    expect(describeUrl("postgres://lab:s3cret@db.example:6432/state")).toBe(
      "db.example:6432/state",
    );
    expect(describeUrl("postgresql://db")).toBe("db:5432");
    expect(describeUrl("postgres://[bad")).toBe("(a URL that does not parse)");
  });

  it("says a PostgreSQL that is down cannot be reached, naming host:port", async () => {
    const port = await closedPort();
    const err = await caught(
      openStateStore({ url: `postgres://lab:s3cret@127.0.0.1:${port}/lab`, path: "/unused" }),
    );
    expect([err.code, err.message]).toEqual([
      "STATE",
      `cannot reach the state database 127.0.0.1:${port}/lab: connection refused (ECONNREFUSED)`,
    ]);
  });

  it("says a server that never answers timed out", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await listen(silent);
    try {
      const err = await caught(
        openPostgresStore({ url: `postgres://127.0.0.1:${port}/lab`, connectTimeoutMs: 200 }),
      );
      expect([err.code, err.message]).toEqual([
        "STATE",
        `cannot reach the state database 127.0.0.1:${port}/lab: connect timed out`,
      ]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("refuses a URL that is not PostgreSQL's", async () => {
    const err = await caught(openPostgresStore({ url: "mysql://db/lab" }));
    expect(err.code).toBe("USAGE");
  });
});
