/**
 * `lab serve` on PostgreSQL as processes (bin/lab.js): the state store and the work queue
 * (pg-boss) in a private PostgreSQL 15 cluster, a fresh database per test, the remote behind
 * `git http-backend` with a token, and a stand-in for GitHub's REST API (test/github-standin.ts —
 * GitHub itself cannot run here). One replica does what the SQLite suite's core cases do; two
 * replicas on one database share the work, each revision applied once, a delivery queued once; a
 * replica killed with SIGKILL in the middle of an apply loses nothing: the other one takes the job
 * once its lease expires and finishes the apply, reloading the tool once (docs/serve.md).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import { ROOT, SMALL_REPO } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";
import { GitHubStandin } from "./github-standin.js";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";
import {
  GH_TOKEN,
  GIT_TOKEN,
  MARKER,
  WEB_3,
  deliver,
  deliveryId,
  post,
  pullPayload,
  pushPayload,
  startServe,
  until,
  type ServeProcess,
} from "./serve-harness.js";

/** Short enough for a test: a killed replica's job is taken up again after this. */
const EXPIRE_SECONDS = "3";

let cluster: PostgresCluster;
let fixture: GitFixture;
let http: GitHttpServer;
let github: GitHubStandin;
let count = 0;
const started: ServeProcess[] = [];
const folders: string[] = [];

beforeAll(async () => {
  buildIfStale();
  cluster = await startPostgresCluster();
  fixture = await makeGitFixture();
  await fixture.commit(SMALL_REPO);
  http = await startGitHttpServer({ root: fixture.root, token: GIT_TOKEN });
  github = await GitHubStandin.start({ token: GH_TOKEN });
}, 60_000);

afterEach(async () => {
  for (const replica of started.splice(0)) {
    replica.child.kill("SIGCONT");
    await replica.stop();
  }
});

afterAll(async () => {
  await github?.close();
  await http?.stop();
  await fixture?.remove();
  await cluster?.stop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function freshDatabase(): Promise<string> {
  const name = `serve${++count}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return cluster.url.replace(/\/lab$/, `/${name}`);
}

interface Deployment {
  url: string;
  /** The folder of --state: the outputs and the Git copy, shared by the replicas. */
  dir: string;
  start(env?: Record<string, string>): Promise<ServeProcess>;
  lastGood(): Promise<string | null>;
  runs(): Promise<{ revision: string; result: string | null; trigger: string }[]>;
  /** The apply journal's unfinished steps, as `target:step`. */
  pending(): Promise<string[]>;
  /** Who applied `target` at `revision`, from the audit log. */
  appliedBy(target: string, revision: string): Promise<string[]>;
  /** Jobs of the work queue not finished: waiting, to retry, running. */
  openJobs(): Promise<number>;
  /** Every replica's log, to show when a wait times out. */
  log: () => string;
}

async function deployment(): Promise<Deployment> {
  const url = await freshDatabase();
  const dir = await mkdtemp(join(tmpdir(), "lab-serve-replicas-"));
  folders.push(dir);
  const mine: ServeProcess[] = [];
  const withStore = async <T>(read: (store: Awaited<ReturnType<typeof open>>) => Promise<T>) => {
    const store = await open();
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  };
  const open = async () => (await openStateStore({ url })).store;
  return {
    url,
    dir,
    async start(env = {}) {
      const replica = await startServe({
        remote: `${http.url}/remote.git`,
        state: join(dir, "state.db"),
        home: dir,
        githubUrl: github.url,
        env: { LAB_DATABASE_URL: url, LAB_QUEUE_EXPIRE_SECONDS: EXPIRE_SECONDS, ...env },
      });
      started.push(replica);
      mine.push(replica);
      return replica;
    },
    lastGood: () => withStore((store) => store.lastGoodRevision()),
    runs: () =>
      withStore(async (store) =>
        (await store.lastRuns(100)).map((r) => ({
          revision: r.revision,
          result: r.result,
          trigger: r.trigger,
        })),
      ),
    pending: () =>
      withStore(async (store) =>
        (await store.pendingIntents()).map((e) => `${e.target}:${e.step}`),
      ),
    appliedBy: (target, revision) =>
      withStore(async (store) =>
        (await store.auditLog({ limit: 1000 }))
          .filter((e) => e.what === `apply ${target}` && e.revision === revision)
          .map((e) => e.who),
      ),
    async openJobs() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          "SELECT count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active')",
        );
        return Number(rows[0]!.n);
      } finally {
        await client.end();
      }
    },
    log: () => mine.map((r, i) => `--- replica ${i + 1}\n${r.stderr()}${r.log()}`).join("\n"),
  };
}

/** WEB_3 with the address of web-3 ending in `n`: a new revision whose outputs change. */
function web3At(n: number, files: Readonly<Record<string, string>> = WEB_3) {
  return {
    ...files,
    "servers.yaml": WEB_3["servers.yaml"]!.replace("10.0.0.3", `10.0.2.${n}`),
  };
}

describe("lab serve on PostgreSQL (GitHub's API is a stand-in)", () => {
  it("LAB_QUEUE_EXPIRE_SECONDS that is not a whole number: a usage error before anything opens", async () => {
    const d = await deployment();
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, "bin/lab.js"),
        "--repo",
        `${http.url}/remote.git`,
        "serve",
        "--state",
        join(d.dir, "state.db"),
      ],
      {
        encoding: "utf8",
        env: {
          PATH: process.env.PATH,
          HOME: d.dir,
          LAB_DATABASE_URL: d.url,
          LAB_QUEUE_EXPIRE_SECONDS: "soon",
        },
        timeout: 20_000,
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'error: LAB_QUEUE_EXPIRE_SECONDS "soon": expected a whole number above 0\n',
    );
    // Nothing was made in the database: neither the store's tables nor the queue's.
    const client = new pg.Client({ connectionString: d.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
      );
      expect(Number(rows[0]!.n)).toBe(0);
    } finally {
      await client.end();
    }
  });

  it("one replica: applies main at start, a pushed commit, and comments once on a pull request", async () => {
    const d = await deployment();
    const head = await fixture.commit(SMALL_REPO);
    const replica = await d.start();
    await until("main applied at start", async () => (await d.lastGood()) === head, 20_000, d.log);
    const sha = await fixture.commit(WEB_3);
    expect(await deliver(replica.url, "push", pushPayload(sha))).toBe(202);
    await until(
      "the pushed commit applied",
      async () => (await d.lastGood()) === sha,
      20_000,
      d.log,
    );
    expect((await d.runs()).filter((r) => r.revision === sha)).toEqual([
      { revision: sha, result: "ok", trigger: "push" },
    ]);
    const pull = await fixture.pushPull(21, {
      ...WEB_3,
      "labels.yaml": SMALL_REPO["labels.yaml"]!.replace("[nginx]", "[nginx, php]"),
    });
    expect(await deliver(replica.url, "pull_request", pullPayload("opened", 21, pull))).toBe(202);
    const comment = await until(
      "the plan comment",
      () => Promise.resolve(github.comments(21).find((c) => c.body.startsWith(MARKER))),
      20_000,
      d.log,
    );
    expect(comment.body).toContain("php");
    await until("the queue empty", async () => (await d.openJobs()) === 0, 10_000, d.log);
    expect(github.comments(21)).toHaveLength(1);
    // Planned, never applied.
    expect(await d.lastGood()).toBe(sha);
    expect(await replica.stop()).toBe(0);
  }, 60_000);

  it("two replicas on one database: each pushed revision applied once, a delivery queued once", async () => {
    const d = await deployment();
    const head = await fixture.commit(SMALL_REPO);
    const replicas = [await d.start(), await d.start()];
    await until("main applied at start", async () => (await d.lastGood()) === head, 20_000, d.log);
    const pushed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const sha = await fixture.commit(web3At(i));
      pushed.push(sha);
      // Delivered to each replica in turn, each time with a new delivery id.
      expect(await deliver(replicas[i % 2]!.url, "push", pushPayload(sha))).toBe(202);
      await until(`push ${i} applied`, async () => (await d.lastGood()) === sha, 20_000, d.log);
    }
    // The same delivery to both replicas at once: one takes it, the other has seen it.
    const sha = await fixture.commit(web3At(9));
    pushed.push(sha);
    const body = pushPayload(sha);
    const delivery = deliveryId();
    const answers = await Promise.all(replicas.map((r) => post(r.url, "push", body, { delivery })));
    expect(answers.map((a) => a.answer.status).sort()).toEqual(["duplicate", "queued"]);
    await until("the last push applied", async () => (await d.lastGood()) === sha, 20_000, d.log);
    await until("the queue empty", async () => (await d.openJobs()) === 0, 10_000, d.log);
    // Applied once each: one run that wrote it. Another run may find it in place (a replica's
    // first poll can see a pushed commit before its webhook does): nothing left to write.
    const runs = await d.runs();
    for (const revision of pushed) {
      const of = runs.filter((r) => r.revision === revision).map((r) => r.result);
      expect(
        of.filter((result) => result === "ok"),
        revision,
      ).toHaveLength(1);
      expect(of.filter((result) => result !== "ok" && result !== "no-change")).toEqual([]);
    }
    // Both replicas write the one outputs folder.
    const hosts = join(d.dir, ".lab", "outputs", "naemon", "hosts", "web-3.cfg");
    expect(readFileSync(hosts, "utf8")).toContain("10.0.2.9");
    expect(await Promise.all(replicas.map((r) => r.stop()))).toEqual([0, 0]);
  }, 60_000);

  it("a replica killed with SIGKILL mid-apply: the other one finishes the revision, one reload", async () => {
    const d = await deployment();
    const reloads = join(d.dir, "reloads");
    const lab = [
      "lab:",
      "  name: small",
      "  outputs:",
      `    naemon: { reload: [sh, -c, "echo reload >> '${reloads}'"] }`,
      "",
    ].join("\n");
    const reloaded = () =>
      existsSync(reloads) ? readFileSync(reloads, "utf8").split("\n").length - 1 : 0;
    const head = await fixture.commit({ ...SMALL_REPO, "lab.yaml": lab });
    const survivor = await d.start();
    await until("main applied at start", async () => (await d.lastGood()) === head, 20_000, d.log);
    expect(reloaded()).toBe(1);
    // The second replica kills itself when an apply is about to write Naemon's files.
    const doomed = await d.start({ LAB_FAULT_AT: "naemon:write" });
    // Its first poll queues main again: a pass with nothing to write, by either replica.
    await until(
      "the second replica's first poll worked off",
      async () =>
        (await d.runs()).filter((r) => r.revision === head && r.result !== null).length === 2 &&
        (await d.openJobs()) === 0,
      20_000,
      d.log,
    );
    // Paused, the survivor takes no job: the push is the doomed replica's.
    survivor.child.kill("SIGSTOP");
    const sha = await fixture.commit(web3At(5, { ...WEB_3, "lab.yaml": lab }));
    expect(await deliver(doomed.url, "push", pushPayload(sha))).toBe(202);
    expect(await doomed.exited).toBe("SIGKILL");
    const hosts = join(d.dir, ".lab", "outputs", "naemon", "hosts", "web-3.cfg");
    expect(existsSync(hosts)).toBe(false);
    // It journaled the write it was about to do.
    expect(await d.pending()).toEqual(["naemon:write"]);
    expect((await d.runs()).filter((r) => r.revision === sha)).toEqual([
      { revision: sha, result: null, trigger: "push" },
    ]);
    survivor.child.kill("SIGCONT");
    await until("the killed run finished", async () => (await d.lastGood()) === sha, 30_000, d.log);
    await until("the queue empty", async () => (await d.openJobs()) === 0, 10_000, d.log);
    const runs = (await d.runs()).filter((r) => r.revision === sha);
    expect(runs.filter((r) => r.result === "ok")).toHaveLength(1);
    expect(runs).toHaveLength(2);
    expect(readFileSync(hosts, "utf8")).toContain("10.0.2.5");
    expect(reloaded()).toBe(2);
    expect(await d.pending()).toEqual([]);
    expect(await d.appliedBy("naemon", sha)).toEqual([`${hostname()}:${survivor.child.pid}`]);
    expect(await survivor.stop()).toBe(0);
  }, 60_000);
});
