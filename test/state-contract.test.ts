/**
 * One contract suite for every state store backend: memory, SQLite in a temp dir, and a real
 * PostgreSQL 15 (a private cluster started for this file). Each test opens fresh stores.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../adapters/state/postgres-open.js";
import { openSqliteStore } from "../adapters/state/sqlite-open.js";
import { LabError } from "../core/errors.js";
import {
  createMemoryStateStore,
  type Clock,
  type PullPlanInput,
  type StateStore,
  type StateStoreKind,
} from "../core/state-store.js";
import type { PuppetRun } from "../core/puppet-run.js";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";

let cluster: PostgresCluster;
let dir: string;
let count = 0;
const opened: StateStore[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lab-state-contract-"));
  cluster = await startPostgresCluster();
});

afterAll(async () => {
  for (const store of opened) await store.close();
  rmSync(dir, { recursive: true, force: true });
  await cluster?.stop();
});

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 0, 2, 3, 4, 5)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

/** Runs one SQL statement on a store's database behind the API's back. */
async function rawExec(kind: StateStoreKind, place: string, statement: string): Promise<void> {
  if (kind === "sqlite") {
    const db = new Database(place);
    try {
      db.prepare(statement).run();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: place });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A pull request's plan record, as `lab serve` writes one. */
const PULL: PullPlanInput = {
  headSha: "h1",
  baseSha: "b1",
  mergeSha: "merge:b1..h1",
  summary: "1 to add",
  plan: { servers: [] },
  commentId: "4021",
  commentHash: "hash-1",
};

/** A failed Puppet run, as `POST /puppet/reports` reads one. */
const RUN: PuppetRun = {
  node: "db-1",
  time: "2026-12-01T18:54:39.481Z",
  status: "failed",
  environment: "production",
  configurationVersion: "1796151279",
  puppetVersion: "7.23.0",
  failures: [
    { resource: "Exec[bars-fails]", message: "'/bin/false' returned 1", source: "x.pp:3" },
  ],
  compileErrors: [],
  classes: ["app::broken"],
  receivedAt: "2026-12-01T18:54:40.000Z",
};

/** A backend's "place": stores opened on the same place share their data. */
interface Backend {
  kind: StateStoreKind;
  place(): Promise<string>;
  open(place: string, clock?: Clock, keepDeliveries?: number): Promise<StateStore>;
}

const memories = new Map<string, StateStore>();
const BACKENDS: Backend[] = [
  {
    kind: "memory",
    place: () => Promise.resolve(`memory-${++count}`),
    // Two "connections" to one memory store are the same object.
    open: (place, clock, keepDeliveries) => {
      const store =
        memories.get(place) ??
        createMemoryStateStore({
          ...(clock && { clock }),
          ...(keepDeliveries !== undefined && { keepDeliveries }),
        });
      memories.set(place, store);
      return Promise.resolve(store);
    },
  },
  {
    kind: "sqlite",
    place: () => Promise.resolve(join(dir, `state-${++count}.db`)),
    open: async (place, clock, keepDeliveries) =>
      (
        await openSqliteStore({
          path: place,
          ...(clock && { clock }),
          ...(keepDeliveries !== undefined && { keepDeliveries }),
        })
      ).store,
  },
  {
    kind: "postgres",
    place: () => cluster.freshDatabase(),
    open: (place, clock, keepDeliveries) =>
      openPostgresStore({
        url: place,
        ...(clock && { clock }),
        ...(keepDeliveries !== undefined && { keepDeliveries }),
      }),
  },
];

describe.each(BACKENDS)("state store contract: $kind", (backend) => {
  async function open(clock?: Clock): Promise<StateStore> {
    const store = await backend.open(await backend.place(), clock);
    opened.push(store);
    return store;
  }
  const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
  const iso = (ms: number) => new Date(ms).toISOString();

  it("reports its kind", async () => {
    expect((await open()).kind).toBe(backend.kind);
  });

  it("records runs: ids in order, newest first, every field", async () => {
    const clock = manualClock();
    const store = await open(clock);
    const first = await store.startRun({ revision: "aaa", trigger: "poll" });
    clock.advance(1000);
    const second = await store.startRun({ revision: "bbb", trigger: "webhook" });
    clock.advance(500);
    await store.finishRun(first, { result: "ok", diagnostics: 0 });
    await store.finishRun(second, { result: "failed", diagnostics: 3, error: "reload refused" });
    expect(second).toBeGreaterThan(first);
    expect(await store.lastRuns(10)).toEqual([
      {
        id: second,
        revision: "bbb",
        trigger: "webhook",
        startedAt: iso(T0 + 1000),
        finishedAt: iso(T0 + 1500),
        result: "failed",
        diagnostics: 3,
        error: "reload refused",
      },
      {
        id: first,
        revision: "aaa",
        trigger: "poll",
        startedAt: iso(T0),
        finishedAt: iso(T0 + 1500),
        result: "ok",
        diagnostics: 0,
        error: null,
      },
    ]);
    expect((await store.lastRuns(1)).map((r) => r.id)).toEqual([second]);
    expect(await store.lastRuns(0)).toEqual([]);
  });

  it("shows a run that never finished as started only", async () => {
    const store = await open(manualClock());
    const id = await store.startRun({ revision: "ccc", trigger: "cli" });
    expect(await store.lastRuns(5)).toEqual([
      {
        id,
        revision: "ccc",
        trigger: "cli",
        startedAt: iso(T0),
        finishedAt: null,
        result: null,
        diagnostics: null,
        error: null,
      },
    ]);
  });

  it("refuses to finish a run it does not know", async () => {
    const store = await open();
    await expect(store.finishRun(999, { result: "ok", diagnostics: 0 })).rejects.toMatchObject({
      code: "INTERNAL",
    });
  });

  it("gives the last good revision: ok and no-change count, invalid and failed do not", async () => {
    const store = await open();
    expect(await store.lastGoodRevision()).toBeNull();
    const runs: [string, "ok" | "no-change" | "invalid" | "failed"][] = [
      ["r1", "ok"],
      ["r2", "no-change"],
      ["r3", "invalid"],
      ["r4", "failed"],
    ];
    for (const [revision, result] of runs) {
      const id = await store.startRun({ revision, trigger: "poll" });
      await store.finishRun(id, { result, diagnostics: 0 });
    }
    expect(await store.lastGoodRevision()).toBe("r2");
    await store.startRun({ revision: "r5", trigger: "poll" }); // still running
    expect(await store.lastGoodRevision()).toBe("r2");
    expect(await store.lastGoodRevision("prometheus")).toBeNull();
    await store.recordApplied("prometheus", "r1", { "prometheus/a.yaml": "h1" });
    expect(await store.lastGoodRevision("prometheus")).toBe("r1");
  });

  it("keeps the applied state per target and replaces a target's whole set", async () => {
    const clock = manualClock();
    const store = await open(clock);
    expect(await store.applied("naemon")).toBeNull();
    await store.recordApplied("naemon", "r1", { "naemon/b.cfg": "hb", "naemon/a.cfg": "ha" });
    await store.recordApplied("prometheus", "r1", { "prometheus/x.yaml": "hx" });
    clock.advance(60_000);
    await store.recordApplied("naemon", "r2", { "naemon/c.cfg": "hc", "naemon/a.cfg": "ha2" });
    const naemon = await store.applied("naemon");
    expect(naemon).toEqual({
      revision: "r2",
      artifacts: { "naemon/a.cfg": "ha2", "naemon/c.cfg": "hc" },
      at: iso(T0 + 60_000),
    });
    expect(Object.keys(naemon!.artifacts)).toEqual(["naemon/a.cfg", "naemon/c.cfg"]);
    expect(await store.applied("prometheus")).toEqual({
      revision: "r1",
      artifacts: { "prometheus/x.yaml": "hx" },
      at: iso(T0),
    });
    await store.recordApplied("naemon", "r3", {});
    expect(await store.applied("naemon")).toEqual({
      revision: "r3",
      artifacts: {},
      at: iso(T0 + 60_000),
    });
  });

  it("round-trips a large artifact set (more rows than one statement takes)", async () => {
    const store = await open();
    const artifacts: Record<string, string> = {};
    for (let i = 2400; i >= 0; i--)
      artifacts[`enc/nodes/n-${String(i).padStart(5, "0")}.yaml`] = `h${i}`;
    await store.recordApplied("enc", "big", artifacts);
    const applied = await store.applied("enc");
    expect(Object.keys(applied!.artifacts)).toHaveLength(2401);
    expect(Object.keys(applied!.artifacts)).toEqual(Object.keys(artifacts).sort());
    expect(applied!.artifacts["enc/nodes/n-00007.yaml"]).toBe("h7");
  });

  it("leaves the previous set whole when recording a set fails half-way", async () => {
    const store = await open();
    await store.recordApplied("enc", "r1", { "enc/a.yaml": "ha", "enc/b.yaml": "hb" });
    const bad: Record<string, string> = {};
    for (let i = 0; i < 1200; i++) bad[`enc/n-${String(i).padStart(4, "0")}.yaml`] = `h${i}`;
    bad["enc/z-last.yaml"] = null as unknown as string; // sorts last: fails in the last chunk
    await expect(store.recordApplied("enc", "r2", bad)).rejects.toBeInstanceOf(LabError);
    expect(await store.applied("enc")).toMatchObject({
      revision: "r1",
      artifacts: { "enc/a.yaml": "ha", "enc/b.yaml": "hb" },
    });
  });

  it("journals intents: new, then pending until done, then done; idempotent both ways", async () => {
    const clock = manualClock();
    const store = await open(clock);
    const run = await store.startRun({ revision: "r1", trigger: "poll" });
    expect(await store.pendingIntents()).toEqual([]);
    expect(await store.journalIntent(run, "prometheus", "reload", "sha-1")).toBe("new");
    clock.advance(10);
    expect(await store.journalIntent(run, "naemon", "reload", "sha-9")).toBe("new");
    expect(await store.journalIntent(run, "prometheus", "reload", "sha-1")).toBe("pending");
    expect(await store.pendingIntents()).toEqual([
      {
        runId: run,
        target: "prometheus",
        step: "reload",
        key: "sha-1",
        intendedAt: iso(T0),
        doneAt: null,
      },
      {
        runId: run,
        target: "naemon",
        step: "reload",
        key: "sha-9",
        intendedAt: iso(T0 + 10),
        doneAt: null,
      },
    ]);
    await store.journalDone("prometheus", "reload", "sha-1");
    await store.journalDone("prometheus", "reload", "sha-1");
    expect(await store.journalIntent(run, "prometheus", "reload", "sha-1")).toBe("done");
    const later = await store.startRun({ revision: "r2", trigger: "poll" });
    expect(await store.journalIntent(later, "prometheus", "reload", "sha-1")).toBe("done");
    expect(await store.journalIntent(later, "prometheus", "reload", "sha-2")).toBe("new");
    expect(await store.journalIntent(later, "prometheus", "write", "sha-1")).toBe("new");
    expect((await store.pendingIntents()).map((e) => [e.target, e.step, e.key, e.runId])).toEqual([
      ["naemon", "reload", "sha-9", run],
      ["prometheus", "reload", "sha-2", later],
      ["prometheus", "write", "sha-1", later],
    ]);
  });

  it("refuses to mark done an intent never journaled, and an intent of an unknown run", async () => {
    const store = await open();
    await expect(store.journalDone("enc", "write", "k")).rejects.toMatchObject({
      code: "INTERNAL",
    });
    await expect(store.journalIntent(4242, "enc", "write", "k")).rejects.toBeInstanceOf(LabError);
    expect(await store.pendingIntents()).toEqual([]);
  });

  it("keeps provider state last observed per provider and stack, as JSON", async () => {
    const clock = manualClock();
    const store = await open(clock);
    expect(await store.observed("aws", "aws-prod")).toBeNull();
    const state = { vms: [{ name: "web-1", cores: 4, tags: { env: "prod" } }], ok: true, n: null };
    await store.recordObserved("aws", "aws-prod", state);
    state.vms[0]!.cores = 99; // the store keeps its own copy
    await store.recordObserved("xcpng", "xcpng-prod", ["a"]);
    expect(await store.observed("aws", "aws-prod")).toEqual({
      state: { vms: [{ name: "web-1", cores: 4, tags: { env: "prod" } }], ok: true, n: null },
      at: iso(T0),
    });
    clock.advance(5);
    await store.recordObserved("aws", "aws-prod", { vms: [] });
    expect(await store.observed("aws", "aws-prod")).toEqual({
      state: { vms: [] },
      at: iso(T0 + 5),
    });
    expect(await store.observed("aws", "xcpng-prod")).toBeNull();
    expect(await store.observed("xcpng", "xcpng-prod")).toEqual({ state: ["a"], at: iso(T0) });
  });

  it("leases: one holder, re-entrant for the holder, released only by it", async () => {
    const store = await open();
    expect(await store.lease("prometheus")).toBeNull();
    expect(await store.acquireLease("prometheus", "replica-a", 60_000)).toBe(true);
    expect(await store.acquireLease("prometheus", "replica-b", 60_000)).toBe(false);
    expect(await store.acquireLease("naemon", "replica-b", 60_000)).toBe(true);
    expect(await store.acquireLease("prometheus", "replica-a", 60_000)).toBe(true);
    expect((await store.lease("prometheus"))?.holder).toBe("replica-a");
    expect(await store.renewLease("prometheus", "replica-b", 60_000)).toBe(false);
    expect(await store.renewLease("prometheus", "replica-a", 60_000)).toBe(true);
    await store.releaseLease("prometheus", "replica-b");
    expect((await store.lease("prometheus"))?.holder).toBe("replica-a");
    await store.releaseLease("prometheus", "replica-a");
    expect(await store.lease("prometheus")).toBeNull();
    expect(await store.renewLease("prometheus", "replica-a", 60_000)).toBe(false);
    expect(await store.acquireLease("prometheus", "replica-b", 60_000)).toBe(true);
    await expect(store.acquireLease("enc", "a", 0)).rejects.toMatchObject({ code: "INTERNAL" });
    await expect(store.acquireLease("enc", "a", 1.5)).rejects.toMatchObject({ code: "INTERNAL" });
  });

  it("lets another holder take an expired lease over, and the old holder cannot renew it", async () => {
    const store = await open();
    expect(await store.acquireLease("enc", "replica-a", 150)).toBe(true);
    expect(await store.acquireLease("enc", "replica-b", 150)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await store.lease("enc")).toBeNull();
    expect(await store.renewLease("enc", "replica-a", 150)).toBe(false);
    expect(await store.acquireLease("enc", "replica-b", 60_000)).toBe(true);
    expect((await store.lease("enc"))?.holder).toBe("replica-b");
    expect(await store.acquireLease("enc", "replica-a", 60_000)).toBe(false);
  });

  it("gives a lease to exactly one of two stores racing for it, over many rounds", async () => {
    const place = await backend.place();
    const a = await backend.open(place);
    const b = await backend.open(place);
    opened.push(a, b);
    const wins: number[] = [];
    for (let round = 0; round < 60; round++) {
      const target = `target-${round}`;
      const [x, y] = await Promise.all([
        a.acquireLease(target, "replica-a", 60_000),
        b.acquireLease(target, "replica-b", 60_000),
      ]);
      wins.push(Number(x) + Number(y));
      const holder = (await a.lease(target))?.holder;
      expect(holder).toBe(x ? "replica-a" : "replica-b");
    }
    expect(wins).toEqual(Array.from({ length: 60 }, () => 1));
  });

  it("appends to the audit log: newest first, since, limit, JSON detail", async () => {
    const clock = manualClock();
    const store = await open(clock);
    const first = await store.audit({
      who: "alice",
      what: "apply",
      revision: "r1",
      detail: { targets: ["enc"] },
    });
    clock.advance(1000);
    const second = await store.audit({ who: "bob", what: "lease release" });
    clock.advance(1000);
    const third = await store.audit({
      who: "lab serve",
      what: "apply",
      revision: "r2",
      detail: [1, "x"],
    });
    expect([first < second, second < third]).toEqual([true, true]);
    expect(await store.auditLog()).toEqual([
      {
        id: third,
        at: iso(T0 + 2000),
        who: "lab serve",
        what: "apply",
        revision: "r2",
        detail: [1, "x"],
      },
      {
        id: second,
        at: iso(T0 + 1000),
        who: "bob",
        what: "lease release",
        revision: null,
        detail: null,
      },
      {
        id: first,
        at: iso(T0),
        who: "alice",
        what: "apply",
        revision: "r1",
        detail: { targets: ["enc"] },
      },
    ]);
    expect((await store.auditLog({ since: iso(T0 + 1000) })).map((e) => e.id)).toEqual([
      third,
      second,
    ]);
    expect((await store.auditLog({ limit: 1 })).map((e) => e.id)).toEqual([third]);
    await expect(store.auditLog({ since: "yesterday" })).rejects.toMatchObject({
      code: "INTERNAL",
    });
  });

  it("has no method that could change or delete an audit entry (the whole API, by name)", async () => {
    const store = await open();
    const methods = Object.keys(store)
      .filter((k) => typeof (store as unknown as Record<string, unknown>)[k] === "function")
      .filter((k) => !["snapshot", "backup"].includes(k)) // SQLite's backups copy, never change
      .sort();
    expect(methods).toEqual([
      "acquireLease",
      "applied",
      "audit",
      "auditLog",
      "close",
      "finishRun",
      "forgetPull",
      "journalDone",
      "journalIntent",
      "lastGoodRevision",
      "lastRuns",
      "lease",
      "mergeTold",
      "mergedWaiting",
      "observed",
      "openPulls",
      "pendingIntents",
      "pullPlan",
      "puppetRun",
      "puppetRuns",
      "recordApplied",
      "recordDelivery",
      "recordMerged",
      "recordObserved",
      "recordPullPlan",
      "recordPuppetRun",
      "releaseLease",
      "renewLease",
      "startRun",
    ]);
    const entry = { who: "alice", what: "apply", detail: { n: 1 } };
    await store.audit(entry);
    entry.detail.n = 2;
    const [logged] = await store.auditLog();
    (logged!.detail as { n: number }).n = 3;
    expect((await store.auditLog())[0]!.detail).toEqual({ n: 1 });
  });

  it("checks the AbortSignal before any work, and refuses work once closed", async () => {
    const store = await backend.open(await backend.place());
    const aborted = AbortSignal.abort();
    await expect(store.startRun({ revision: "r", trigger: "t" }, aborted)).rejects.toMatchObject({
      name: "AbortError",
    });
    await expect(store.audit({ who: "a", what: "b" }, aborted)).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(await store.lastRuns(5)).toEqual([]);
    expect(await store.auditLog()).toEqual([]);
    await store.close();
    await store.close();
    await expect(store.lastRuns(1)).rejects.toMatchObject({ code: "INTERNAL" });
  });

  it("records a webhook delivery once: new, then a replay; keeps only the newest", async () => {
    const place = await backend.place();
    const store = await backend.open(place, manualClock(), 3);
    opened.push(store);
    expect(await store.recordDelivery("d1", T0 + 1)).toBe(true);
    expect(await store.recordDelivery("d1", T0 + 9)).toBe(false);
    for (const [n, id] of ["d2", "d3", "d4", "d5"].entries()) {
      expect(await store.recordDelivery(id, T0 + 2 + n)).toBe(true);
    }
    // d1 and d2 were pruned (the oldest), the newest three are still replays.
    for (const id of ["d3", "d4", "d5"]) expect(await store.recordDelivery(id)).toBe(false);
    expect(await store.recordDelivery("d2", T0 + 10)).toBe(true);
    // Without a time, the clock's: newer than d3 (T0 + 2), so d3 goes.
    expect(await store.recordDelivery("d6")).toBe(true);
    expect(await store.recordDelivery("d3", T0 + 11)).toBe(true);
    for (const bad of ["", "x".repeat(201)]) {
      await expect(store.recordDelivery(bad)).rejects.toMatchObject({ code: "INTERNAL" });
    }
    // Two connections racing for one new id: exactly one of them sees it new.
    const other = await backend.open(place, manualClock(), 3);
    opened.push(other);
    for (let round = 0; round < 10; round++) {
      const id = `race-${round}`;
      const at = T0 + 100 + round;
      const seen = await Promise.all([store.recordDelivery(id, at), other.recordDelivery(id, at)]);
      expect(seen.filter(Boolean)).toHaveLength(1);
    }
  });

  it("keeps each pull request's plan: replaced, listed while open, kept when closed, reopened", async () => {
    const clock = manualClock();
    const store = await open(clock);
    expect(await store.pullPlan(7)).toBeNull();
    expect(await store.openPulls()).toEqual([]);
    const plan = { servers: [{ name: "web", change: "add" }], n: 1 };
    await store.recordPullPlan(12, { ...PULL, plan });
    plan.n = 2; // the store keeps a copy
    clock.advance(1000);
    await store.recordPullPlan(7, { ...PULL, mergeSha: null, plan: null, commentId: "c-1" });
    expect(await store.openPulls()).toEqual([7, 12]);
    expect(await store.pullPlan(12)).toEqual({
      number: 12,
      ...PULL,
      plan: { servers: [{ name: "web", change: "add" }], n: 1 },
      updatedAt: iso(T0),
      closedAt: null,
    });
    clock.advance(1000);
    const next = { ...PULL, headSha: "h2", summary: "2 to add", commentHash: "hash-2" };
    await store.recordPullPlan(12, next);
    expect(await store.pullPlan(12)).toEqual({
      number: 12,
      ...next,
      updatedAt: iso(T0 + 2000),
      closedAt: null,
    });
    clock.advance(1000);
    await store.forgetPull(12);
    clock.advance(1000);
    await store.forgetPull(12); // the first close stays
    await store.forgetPull(99); // a pull request never planned: nothing to keep
    expect(await store.openPulls()).toEqual([7]);
    expect(await store.pullPlan(12)).toMatchObject({ headSha: "h2", closedAt: iso(T0 + 3000) });
    expect(await store.pullPlan(99)).toBeNull();
    await store.recordPullPlan(12, PULL);
    expect(await store.openPulls()).toEqual([7, 12]);
    expect((await store.pullPlan(12))?.closedAt).toBeNull();
    for (const bad of [0, -1, 1.5]) {
      await expect(store.pullPlan(bad)).rejects.toMatchObject({ code: "INTERNAL" });
      await expect(store.recordPullPlan(bad, PULL)).rejects.toMatchObject({ code: "INTERNAL" });
    }
    const aborted = AbortSignal.abort();
    for (const call of [
      () => store.recordDelivery("a", undefined, aborted),
      () => store.recordPullPlan(1, PULL, aborted),
      () => store.pullPlan(1, aborted),
      () => store.openPulls(aborted),
      () => store.forgetPull(7, aborted),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: "AbortError" });
    }
    expect(await store.openPulls()).toEqual([7, 12]);
    expect(await store.recordDelivery("a")).toBe(true);
  });

  it("keeps merged pull requests waiting until told: by number, a second merge replaces", async () => {
    const clock = manualClock();
    const store = await open(clock);
    expect(await store.mergedWaiting()).toEqual([]);
    await store.recordMerged(12, "h12");
    clock.advance(1000);
    await store.recordMerged(3, "h3");
    await store.recordMerged(12, "h12b");
    expect(await store.mergedWaiting()).toEqual([
      { number: 3, headSha: "h3", mergedAt: iso(T0 + 1000) },
      { number: 12, headSha: "h12b", mergedAt: iso(T0 + 1000) },
    ]);
    await store.mergeTold(12);
    await store.mergeTold(99); // never merged: nothing to do
    expect((await store.mergedWaiting()).map((m) => m.number)).toEqual([3]);
    await expect(store.recordMerged(0, "h")).rejects.toMatchObject({ code: "INTERNAL" });
    const aborted = AbortSignal.abort();
    for (const call of [
      () => store.recordMerged(1, "h", aborted),
      () => store.mergedWaiting(aborted),
      () => store.mergeTold(3, aborted),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: "AbortError" });
    }
    expect((await store.mergedWaiting()).map((m) => m.number)).toEqual([3]);
  });

  it("keeps each node's last Puppet run: newer replaces, older is refused, by node", async () => {
    const store = await open();
    expect(await store.puppetRuns()).toEqual([]);
    expect(await store.puppetRun("db-1")).toBeNull();
    const run = structuredClone(RUN);
    expect(await store.recordPuppetRun(run, true)).toBe(true);
    run.failures[0]!.message = "changed after"; // the store keeps a copy
    expect(await store.puppetRun("db-1")).toEqual({ ...RUN, known: true });
    const later: PuppetRun = {
      ...RUN,
      time: "2026-12-01T19:24:39.000Z",
      status: "changed",
      failures: [],
      compileErrors: ["Found 1 dependency cycle"],
      classes: ["app", "app::ok"],
    };
    expect(await store.recordPuppetRun(later, false)).toBe(true);
    expect(await store.puppetRun("db-1")).toEqual({ ...later, known: false });
    // A report older than the kept one (sent late) does not replace it; one of the same time does.
    expect(await store.recordPuppetRun(RUN, true)).toBe(false);
    expect(await store.puppetRun("db-1")).toEqual({ ...later, known: false });
    const again = { ...later, environment: null, configurationVersion: null, puppetVersion: null };
    expect(await store.recordPuppetRun(again, true)).toBe(true);
    // Names sort by code point (PostgreSQL's collation would put "Web-1" after "mail-1").
    for (const node of ["mail-1", "Web-1", "a.example.com"]) {
      expect(await store.recordPuppetRun({ ...RUN, node }, node !== "Web-1")).toBe(true);
    }
    expect((await store.puppetRuns()).map((r) => [r.node, r.known, r.status])).toEqual([
      ["Web-1", false, "failed"],
      ["a.example.com", true, "failed"],
      ["db-1", true, "changed"],
      ["mail-1", true, "failed"],
    ]);
    expect((await store.puppetRuns())[2]).toEqual({ ...again, known: true });
    for (const bad of ["", "x".repeat(256), "a\nb"]) {
      await expect(store.recordPuppetRun({ ...RUN, node: bad }, true)).rejects.toMatchObject({
        code: "INTERNAL",
      });
      await expect(store.puppetRun(bad)).rejects.toMatchObject({ code: "INTERNAL" });
    }
    for (const bad of [{ time: "soon" }, { receivedAt: "" }]) {
      await expect(store.recordPuppetRun({ ...RUN, ...bad }, true)).rejects.toMatchObject({
        code: "INTERNAL",
      });
    }
    const aborted = AbortSignal.abort();
    for (const call of [
      () => store.recordPuppetRun(RUN, true, aborted),
      () => store.puppetRuns(aborted),
      () => store.puppetRun("db-1", aborted),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: "AbortError" });
    }
  });

  if (backend.kind !== "memory") {
    it("keeps everything across a reopen (the audit log's rows survive)", async () => {
      const place = await backend.place();
      const first = await backend.open(place);
      const run = await first.startRun({ revision: "r1", trigger: "poll" });
      await first.finishRun(run, { result: "ok", diagnostics: 2 });
      await first.recordApplied("enc", "r1", { "enc/a.yaml": "ha" });
      await first.journalIntent(run, "enc", "write", "k1");
      await first.recordObserved("aws", "s", { a: 1 });
      await first.audit({ who: "alice", what: "apply", revision: "r1", detail: { x: true } });
      expect(await first.recordDelivery("delivery-1")).toBe(true);
      await first.recordPullPlan(7, { ...PULL, plan: { servers: ["web"] } });
      await first.recordPullPlan(8, PULL);
      await first.forgetPull(8);
      await first.recordMerged(8, "h8");
      await first.recordPuppetRun(RUN, true);
      await first.close();
      const again = await backend.open(place);
      opened.push(again);
      expect((await again.lastRuns(5)).map((r) => [r.revision, r.result, r.diagnostics])).toEqual([
        ["r1", "ok", 2],
      ]);
      expect((await again.applied("enc"))?.artifacts).toEqual({ "enc/a.yaml": "ha" });
      expect((await again.pendingIntents()).map((e) => e.key)).toEqual(["k1"]);
      expect((await again.observed("aws", "s"))?.state).toEqual({ a: 1 });
      expect((await again.auditLog()).map((e) => [e.who, e.what, e.revision, e.detail])).toEqual([
        ["alice", "apply", "r1", { x: true }],
      ]);
      expect(await again.recordDelivery("delivery-1")).toBe(false);
      expect(await again.openPulls()).toEqual([7]);
      expect((await again.pullPlan(7))?.plan).toEqual({ servers: ["web"] });
      expect((await again.pullPlan(8))?.closedAt).not.toBeNull();
      expect(await again.puppetRuns()).toEqual([{ ...RUN, known: true }]);
      expect((await again.mergedWaiting()).map((m) => [m.number, m.headSha])).toEqual([[8, "h8"]]);
    });
  }

  if (backend.kind !== "memory") {
    it("has a database that itself refuses to change or delete an audit entry", async () => {
      const place = await backend.place();
      const store = await backend.open(place);
      await store.audit({ who: "alice", what: "apply", revision: "r1" });
      await store.close();
      const statements = [
        "update lab_audit set who = 'mallory'",
        "delete from lab_audit",
        ...(backend.kind === "postgres" ? ["truncate lab_audit"] : []),
      ];
      for (const statement of statements) {
        await expect(rawExec(backend.kind, place, statement), statement).rejects.toThrow(
          "the audit log is append-only",
        );
      }
      const again = await backend.open(place);
      opened.push(again);
      expect((await again.auditLog()).map((e) => [e.who, e.what, e.revision])).toEqual([
        ["alice", "apply", "r1"],
      ]);
    });
  }

  if (backend.kind !== "postgres") {
    it("takes lease time from the clock passed in", async () => {
      const clock = manualClock();
      const store = await open(clock);
      expect(await store.acquireLease("enc", "a", 1000)).toBe(true);
      expect(await store.lease("enc")).toEqual({ holder: "a", expiresAt: iso(T0 + 1000) });
      clock.advance(999);
      expect(await store.acquireLease("enc", "b", 1000)).toBe(false);
      expect(await store.renewLease("enc", "a", 1000)).toBe(true);
      clock.advance(1000);
      expect(await store.acquireLease("enc", "b", 1000)).toBe(true);
      expect(await store.lease("enc")).toEqual({ holder: "b", expiresAt: iso(T0 + 2999) });
    });
  }
});

describe("state store: contended leases", () => {
  it.each(BACKENDS)(
    "$kind: three clients taking turns never hold one lease at once",
    async (backend) => {
      const place = await backend.place();
      const clients = await Promise.all([1, 2, 3].map(() => backend.open(place)));
      opened.push(...clients);
      const log: string[] = [];
      await Promise.all(
        clients.map(async (store, n) => {
          const holder = `client-${n}`;
          for (let won = 0; won < 10;) {
            if (await store.acquireLease("shared", holder, 60_000)) {
              won++;
              log.push(`enter ${holder}`);
              await new Promise((resolve) => setTimeout(resolve, 1));
              log.push(`leave ${holder}`);
              await store.releaseLease("shared", holder);
            }
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
          }
        }),
      );
      expect(log).toHaveLength(60);
      const bad = log.filter((line, i) =>
        i % 2 === 0 ? !line.startsWith("enter ") : line !== log[i - 1]!.replace("enter", "leave"),
      );
      expect(bad).toEqual([]);
    },
  );
});

describe("PostgreSQL state store specifics", () => {
  it("decides lease expiry by the database's now(), not a replica's clock", async () => {
    const url = await cluster.freshDatabase();
    const yearBehind: Clock = { now: () => Date.now() - 365 * 24 * 3600 * 1000 };
    const behind = await openPostgresStore({ url, clock: yearBehind });
    const onTime = await openPostgresStore({ url });
    opened.push(behind, onTime);
    expect(await behind.acquireLease("enc", "replica-behind", 60_000)).toBe(true);
    expect(await onTime.acquireLease("enc", "replica-on-time", 60_000)).toBe(false);
    const lease = await onTime.lease("enc");
    expect(lease?.holder).toBe("replica-behind");
    const left = Date.parse(lease!.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(50_000);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  it("migrates one fresh database from two replicas opening it at once", async () => {
    const url = await cluster.freshDatabase();
    const stores = await Promise.all([openPostgresStore({ url }), openPostgresStore({ url })]);
    opened.push(...stores);
    const ids = await Promise.all(
      stores.map((s) => s.startRun({ revision: "r", trigger: "poll" })),
    );
    expect(ids.sort()).toEqual([1, 2]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query("select name from kysely_migration order by name");
      expect(rows).toEqual([
        { name: "001-core" },
        { name: "002-journal" },
        { name: "003-audit-append-only" },
        { name: "004-serve" },
        { name: "005-puppet" },
        { name: "006-merged" },
      ]);
    } finally {
      await client.end();
    }
  });

  it("names the database in an error once open, and recovers when it is back", async () => {
    const url = await cluster.freshDatabase();
    const name = new URL(url).pathname.slice(1);
    const store = await openPostgresStore({ url, connectTimeoutMs: 2000 });
    opened.push(store);
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1",
        [name],
      );
      await new Promise((resolve) => setTimeout(resolve, 100)); // the pool drops the dead client
      const err = await store.lastRuns(1).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LabError);
      expect([(err as LabError).code, (err as LabError).message]).toEqual([
        "STATE",
        `state database 127.0.0.1:${cluster.port}/${name}: database "${name}" is not currently ` +
          "accepting connections (SQLSTATE 55000)",
      ]);
      await admin.query(`alter database ${name} allow_connections true`);
      expect(await store.lastRuns(1)).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
