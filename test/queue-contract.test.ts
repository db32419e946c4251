/**
 * One contract suite for both work queues (docs/serve.md, "Queue"): in memory, and on pg-boss in
 * a real PostgreSQL 15 (a private cluster for this file, a fresh database per test). Then what
 * only the shared queue does: two replicas on one database, a stopped replica's job taken up by
 * another, and a replica killed with SIGKILL mid-run whose job another takes after it expires.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pgBossWorkQueue, type PgBossWorkQueueOptions } from "../adapters/queue/pg-boss-queue.js";
import { LabError } from "../core/errors.js";
import type { BranchWork, PullWork, WorkItem, WorkQueue } from "../core/loop.js";
import { memoryWorkQueue, type WorkErrorHandler } from "../reconciler/loop/work-queue.js";
import { removeTemps, ROOT, tempDir } from "./example-repo.js";
import { buildIfStale } from "./fresh-build.js";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";

let cluster: PostgresCluster;
const opened: WorkQueue[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster();
});

afterEach(async () => {
  for (const queue of opened.splice(0)) await queue.stop();
});

afterAll(async () => {
  removeTemps();
  await cluster?.stop();
});

function push(n: number, branch = "main"): BranchWork {
  return { kind: "branch", branch, revision: `r${n}`, trigger: "push" };
}

function pullRequest(number: number): PullWork {
  return {
    kind: "pull",
    number,
    action: "synchronize",
    headSha: `h${number}`,
    trigger: "pull_request",
  };
}

interface Gate {
  promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves once `test()` holds, looking every 20 ms. */
async function until(what: string, test: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface OpenOptions {
  concurrency: number;
  onError?: WorkErrorHandler;
}

interface Backend {
  kind: string;
  open(options: OpenOptions): Promise<WorkQueue>;
}

/** The shared queue as a replica of `lab serve` opens it, short waits for a test. */
function pgQueue(url: string, options: Partial<PgBossWorkQueueOptions> = {}): WorkQueue {
  const queue = pgBossWorkQueue({
    connectionString: url,
    concurrency: 2,
    expireSeconds: 30,
    retryLimit: 0,
    pollIntervalMs: 200,
    ...options,
  });
  opened.push(queue);
  return queue;
}

const BACKENDS: Backend[] = [
  {
    kind: "memory",
    open: (options) => {
      const queue = memoryWorkQueue(options);
      opened.push(queue);
      return Promise.resolve(queue);
    },
  },
  { kind: "pg-boss", open: async (options) => pgQueue(await cluster.freshDatabase(), options) },
];

describe.each(BACKENDS)("work queue contract: $kind", (backend) => {
  it("coalesces: ten items of one key while it runs give two runs, the running one and the newest", async () => {
    const queue = await backend.open({ concurrency: 2 });
    const started: WorkItem[] = [];
    const release = gate();
    await queue.start(async (item) => {
      started.push(item);
      if (started.length === 1) await release.promise;
    });
    await queue.enqueue(push(0));
    await until("the first run", () => started.length === 1);
    for (let n = 1; n <= 10; n++) await queue.enqueue(push(n));
    expect(await queue.depth()).toBe(1);
    release.open();
    await queue.idle();
    expect(started).toEqual([push(0), push(10)]);
    expect(await queue.depth()).toBe(0);
  });

  it("never runs one key twice at once, and runs other keys meanwhile", async () => {
    const queue = await backend.open({ concurrency: 3 });
    const started: WorkItem[] = [];
    const running = new Set<string>();
    const overlaps: string[] = [];
    const release = gate();
    await queue.start(async (item) => {
      const key = item.kind === "branch" ? item.branch : String(item.number);
      if (running.has(key)) overlaps.push(key);
      running.add(key);
      started.push(item);
      if (item.kind === "branch" && item.revision === "r1") await release.promise;
      running.delete(key);
    });
    await queue.enqueue(push(1));
    await until("the first run", () => started.length === 1);
    await queue.enqueue(push(2));
    await queue.enqueue(push(1, "other"));
    await until("the other key's run", () => started.length === 2);
    await sleep(300);
    expect(started).toEqual([push(1), push(1, "other")]);
    release.open();
    await queue.idle();
    expect(started).toEqual([push(1), push(1, "other"), push(2)]);
    expect(overlaps).toEqual([]);
  });

  it("runs at most `concurrency` items at once", async () => {
    const queue = await backend.open({ concurrency: 2 });
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const release = gate();
    await queue.start(async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      started.push(item.kind === "pull" ? item.number : 0);
      await release.promise;
      inFlight--;
    });
    for (let n = 1; n <= 5; n++) await queue.enqueue(pullRequest(n));
    await until("two runs", () => started.length === 2);
    await sleep(300);
    expect(started).toHaveLength(2);
    expect(await queue.depth()).toBe(3);
    release.open();
    await queue.idle();
    expect(started.toSorted()).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it("queues before it starts: depth counts one item per key, idle waits for the runs", async () => {
    const queue = await backend.open({ concurrency: 1 });
    await queue.enqueue(push(1));
    await queue.enqueue(pullRequest(7));
    await queue.enqueue(push(2));
    expect(await queue.depth()).toBe(2);
    const started: WorkItem[] = [];
    await queue.start((item) => {
      started.push(item);
      return Promise.resolve();
    });
    await queue.idle();
    expect(started).toEqual([push(2), pullRequest(7)]);
  });

  it("stops: the running handler is told and awaited, nothing more runs, enqueue is refused", async () => {
    const queue = await backend.open({ concurrency: 1 });
    const started: WorkItem[] = [];
    let ended = false;
    let toldWhy: unknown;
    await queue.start(async (item, signal) => {
      started.push(item);
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      toldWhy = signal.reason;
      await sleep(100);
      ended = true;
    });
    await queue.enqueue(push(1));
    await until("the run", () => started.length === 1);
    await queue.enqueue(pullRequest(3));
    await queue.stop();
    expect(ended).toBe(true);
    expect(toldWhy).toMatchObject({ code: "INTERNAL" });
    expect(started).toEqual([push(1)]);
    const refused = await queue.enqueue(push(2)).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(LabError);
    expect(refused).toMatchObject({ code: "INTERNAL" });
    expect((refused as LabError).message).toContain("branch:main");
  });

  it("reports a handler that rejects and goes on with the next item", async () => {
    const errors: [WorkItem | undefined, unknown][] = [];
    const queue = await backend.open({
      concurrency: 1,
      onError: (item, err) => errors.push([item, err]),
    });
    const boom = new Error("the state database went away");
    const started: WorkItem[] = [];
    await queue.start((item) => {
      started.push(item);
      return item.kind === "pull" && item.number === 1 ? Promise.reject(boom) : Promise.resolve();
    });
    await queue.enqueue(pullRequest(1));
    await queue.enqueue(pullRequest(2));
    await queue.idle();
    expect(errors).toEqual([[pullRequest(1), boom]]);
    expect(started).toEqual([pullRequest(1), pullRequest(2)]);
    await queue.enqueue(pullRequest(1));
    await queue.idle();
    expect(started).toHaveLength(3);
  });
});

describe("work queue in PostgreSQL: several replicas", () => {
  it("a replica started with another expiry updates the shared queue's, which new items take", async () => {
    const url = await cluster.freshDatabase();
    const first = pgQueue(url, { expireSeconds: 30 });
    await first.enqueue(push(1));
    const later = pgQueue(url, { expireSeconds: 7 });
    await later.enqueue(push(2, "other"));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const queue = await admin.query(
        "SELECT expire_seconds FROM pgboss.queue WHERE name = 'lab_work'",
      );
      expect(queue.rows).toEqual([{ expire_seconds: 7 }]);
    } finally {
      await admin.end();
    }
  });

  it("two replicas on one database keep one waiting item per key, the newest", async () => {
    const url = await cluster.freshDatabase();
    const [a, b] = [pgQueue(url), pgQueue(url)];
    for (let n = 1; n <= 6; n++) await (n % 2 ? a : b).enqueue(push(n));
    expect(await a.depth()).toBe(1);
    const started: WorkItem[] = [];
    await b.start((item) => {
      started.push(item);
      return Promise.resolve();
    });
    await b.idle();
    expect(started).toEqual([push(6)]);
  });

  it("an item whose key runs on one replica waits, though another replica is free", async () => {
    const url = await cluster.freshDatabase();
    const started: [string, WorkItem][] = [];
    const release = gate();
    const [a, b] = [pgQueue(url), pgQueue(url)];
    for (const [who, queue] of [
      ["a", a],
      ["b", b],
    ] as const) {
      await queue.start(async (item) => {
        started.push([who, item]);
        if (item.kind === "branch" && item.revision === "r1") await release.promise;
      });
    }
    await a.enqueue(push(1));
    await until("the first run", () => started.length === 1);
    await b.enqueue(push(2));
    await b.enqueue(pullRequest(4));
    await until("the pull request's run", () => started.length === 2);
    await sleep(600);
    expect(started.map(([, item]) => item)).toEqual([push(1), pullRequest(4)]);
    release.open();
    await until("the second run of main", () => started.length === 3);
    expect(started[2]?.[1]).toEqual(push(2));
  });

  it("a stopped replica's unfinished item is taken up by another", async () => {
    const url = await cluster.freshDatabase();
    const first = pgQueue(url, { retryLimit: 2, retryDelaySeconds: 0 });
    let began = false;
    let told = false;
    await first.start(async (_item, signal) => {
      began = true;
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      told = true;
      throw signal.reason;
    });
    await first.enqueue(pullRequest(5));
    await until("the first replica's run", () => began);
    await first.stop();
    expect(told).toBe(true);
    const second = pgQueue(url, { retryLimit: 2, retryDelaySeconds: 0 });
    const started: WorkItem[] = [];
    await second.start((item) => {
      started.push(item);
      return Promise.resolve();
    });
    await until("the second replica's run", () => started.length === 1);
    expect(started).toEqual([pullRequest(5)]);
  });
});

/** A replica of its own: the built queue module in a child process; its handler never ends. */
const REPLICA = `
const [url, module] = process.argv.slice(2);
const { pgBossWorkQueue } = await import(module);
const queue = pgBossWorkQueue({
  connectionString: url, concurrency: 1, expireSeconds: 3, retryDelaySeconds: 0, pollIntervalMs: 200,
});
await queue.start(async (item) => {
  process.stdout.write(JSON.stringify(item) + "\\n");
  await new Promise(() => {});
});
`;

describe("work queue in PostgreSQL: a replica killed mid-run", () => {
  beforeAll(buildIfStale, 180_000);

  it("loses no item: its lease is kept while it lives, and after SIGKILL another takes it once it expires", async () => {
    const url = await cluster.freshDatabase();
    const survivor = pgQueue(url, { expireSeconds: 3, retryLimit: 2, retryDelaySeconds: 0 });
    await survivor.enqueue(push(9));
    const script = join(tempDir("lab-queue-"), "replica.mjs");
    writeFileSync(script, REPLICA);
    const module = pathToFileURL(join(ROOT, "dist", "adapters", "queue", "pg-boss-queue.js")).href;
    const child = spawn(process.execPath, [script, url, module], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_c, s) => resolve(s)),
    );
    try {
      await until(`the child's run (stderr: ${err})`, () => out.includes("\n"), 15_000);
    } catch (e) {
      child.kill("SIGKILL");
      throw e;
    }
    expect(JSON.parse(out)).toEqual(push(9));
    const started: WorkItem[] = [];
    await survivor.start((item) => {
      started.push(item);
      return Promise.resolve();
    });
    // Longer than expireSeconds: the living child renews its lease, so nobody else runs the item.
    await sleep(4500);
    expect(started).toEqual([]);
    const killedAt = Date.now();
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    await until("the survivor's run", () => started.length === 1, 15_000);
    expect(started).toEqual([push(9)]);
    // Not at once: the lease renewed last, at most expireSeconds / 3 before the kill, ran out first.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1500);
  });
});
