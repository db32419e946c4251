/**
 * `lab serve` end to end on loopback, as a process (bin/lab.js): a bare repo behind
 * `git http-backend` with a token, the state in SQLite and again in PostgreSQL (a private cluster;
 * the work queue is then pg-boss's), and a stand-in for GitHub's REST API
 * (test/github-standin.ts: a local server speaking the endpoints lab uses — GitHub itself cannot
 * run here). Webhook deliveries are GitHub's own example payloads (@octokit/webhooks-examples)
 * pointed at the test remote and signed with the test's secret.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import type { StateStore } from "../core/state-store.js";
import { SMALL_REPO } from "./cli-harness.js";
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
  pullPayload,
  pushPayload,
  startServe,
  until as waitFor,
  type ServeProcess,
} from "./serve-harness.js";

/** The lab serve under test; its log is shown when a wait times out. */
let served: ServeProcess | null = null;

function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000) {
  return waitFor(what, probe, ms, () => served?.log() ?? "");
}

/** Everything one lab serve under test stands on, started. */
interface World {
  kind: "sqlite" | "postgres";
  cluster: PostgresCluster | null;
  databaseUrl: string;
  fixture: GitFixture;
  http: GitHttpServer;
  github: GitHubStandin;
  state: string;
  served: ServeProcess;
}

/** A remote with SMALL_REPO behind git http-backend, the GitHub stand-in, and lab serve on them. */
async function startWorld(kind: World["kind"], pollSeconds = 0): Promise<World> {
  buildIfStale();
  const cluster = kind === "postgres" ? await startPostgresCluster() : null;
  const databaseUrl = cluster ? await cluster.freshDatabase() : "";
  const fixture = await makeGitFixture();
  await fixture.commit(SMALL_REPO);
  const http = await startGitHttpServer({ root: fixture.root, token: GIT_TOKEN });
  const github = await GitHubStandin.start({ token: GH_TOKEN });
  const state = await mkdtemp(join(tmpdir(), "lab-serve-e2e-"));
  const serving = await startServe({
    remote: `${http.url}/remote.git`,
    state: join(state, "state.db"),
    home: state,
    githubUrl: github.url,
    pollSeconds,
    env: cluster ? { LAB_DATABASE_URL: databaseUrl } : {},
  });
  served = serving;
  return { kind, cluster, databaseUrl, fixture, http, github, state, served: serving };
}

async function stopWorld(w: World | undefined): Promise<void> {
  if (!w) return;
  await w.served.stop();
  await w.github.close();
  await w.http.stop();
  await w.fixture.remove();
  await rm(w.state, { recursive: true, force: true });
  await w.cluster?.stop();
}

/** The world's state store, opened for one read. */
async function withStore<T>(w: World, read: (store: StateStore) => Promise<T>): Promise<T> {
  const { store } = await openStateStore(
    w.kind === "postgres" ? { url: w.databaseUrl } : { path: join(w.state, "state.db") },
  );
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe.each(["sqlite", "postgres"] as const)(
  "lab serve on %s (GitHub's API is a stand-in)",
  (kind) => {
    let world: World | undefined;
    let fixture: GitFixture;
    let http: GitHttpServer;
    let github: GitHubStandin;
    let url = "";

    const lastGood = () => withStore(world!, (store) => store.lastGoodRevision());

    /** The files of main's head, as the work copy of the fixture has them. */
    async function mainFiles(): Promise<Record<string, string>> {
      const { execFileSync } = await import("node:child_process");
      const out: Record<string, string> = {};
      const names = execFileSync(
        "git",
        ["-C", fixture.bare, "ls-tree", "-r", "--name-only", "main"],
        { encoding: "utf8" },
      );
      for (const name of names.split("\n").filter(Boolean)) {
        out[name] = execFileSync("git", ["-C", fixture.bare, "show", `main:${name}`], {
          encoding: "utf8",
        });
      }
      return out;
    }

    async function runs(): Promise<{ revision: string; result: string | null; trigger: string }[]> {
      return withStore(world!, async (store) =>
        (await store.lastRuns(100)).map((r) => ({
          revision: r.revision,
          result: r.result,
          trigger: r.trigger,
        })),
      );
    }

    beforeAll(async () => {
      world = await startWorld(kind);
      ({ fixture, http, github } = world);
      url = world.served.url;
    }, 60_000);

    afterAll(() => stopWorld(world));

    it("applies the default branch at start, and is healthy once it fetched", async () => {
      const head = await until("the first apply", lastGood);
      expect(head).toMatch(/^[0-9a-f]{40}$/);
      const health = await until("healthz 200", async () => {
        const res = await fetch(`${url}/healthz`);
        return res.status === 200 ? ((await res.json()) as { status: string }) : null;
      });
      expect(health.status).toBe("ok");
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/lab_reconcile_duration_seconds_count\{stage="render"\} [1-9]/);
    });

    it("a push → webhook → apply of the pushed commit; a commit status lab/apply", async () => {
      const sha = await fixture.commit(WEB_3);
      expect(await deliver(url, "push", pushPayload(sha))).toBe(202);
      await until("the pushed commit applied", async () => (await lastGood()) === sha);
      const status = await until("the apply status", () =>
        Promise.resolve(
          github.statuses.find((s) => s.url.endsWith(`/${sha}`) && s.context === "lab/apply"),
        ),
      );
      expect(status.state).toBe("success");
      // Every request to the forge is counted by outcome (a status write at least).
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/lab_forge_requests_total\{result="ok"\} [1-9]/);
    });

    it("a bad signature gets 401 and queues nothing", async () => {
      const before = (await runs()).length;
      const sha = await fixture.commit(SMALL_REPO);
      const body = pushPayload(sha);
      expect(await deliver(url, "push", body, await sign("not the secret", body))).toBe(401);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await runs()).length).toBe(before);
      expect(await lastGood()).not.toBe(sha);
    });

    it("one plan comment per pull request: created, then edited on the next revision", async () => {
      const first = await fixture.pushPull(7, {
        ...WEB_3,
        "labels.yaml": SMALL_REPO["labels.yaml"]!.replace("[nginx]", "[nginx, php]"),
      });
      expect(await deliver(url, "pull_request", pullPayload("opened", 7, first))).toBe(202);
      const comment = await until("the plan comment", () =>
        Promise.resolve(github.comments(7).find((c) => c.body.startsWith(MARKER))),
      );
      expect(comment.body).toContain("php");
      const status = await until("the plan status", () =>
        Promise.resolve(
          github.statuses.find((s) => s.url.endsWith(`/${first}`) && s.context === "lab/plan"),
        ),
      );
      expect(status.state).toBe("success");
      const second = await fixture.pushPull(7, {
        ...WEB_3,
        "labels.yaml": SMALL_REPO["labels.yaml"]!.replace("[nginx]", "[nginx, redis]"),
      });
      expect(await deliver(url, "pull_request", pullPayload("synchronize", 7, second))).toBe(202);
      await until("the comment edited", () =>
        Promise.resolve(github.comments(7)[0]?.body.includes("redis")),
      );
      expect(github.comments(7)).toHaveLength(1);
      expect(github.comments(7)[0]!.body).not.toContain("php");
      const plan = await until("the plan of the second revision recorded", async () => {
        const res = await fetch(`${url}/api/v1/plans/7`);
        const body = (await res.json()) as { kind: string; headSha: string };
        return body.headSha === second ? body : null;
      });
      expect(plan.kind).toBe("PullPlan");
    });

    it("ten pushes in a burst: the last one applied once", async () => {
      const before = await runs();
      let last = "";
      for (let i = 0; i < 10; i++) {
        const servers = WEB_3["servers.yaml"]!.replace("10.0.0.3", `10.0.1.${i}`);
        last = await fixture.commit({ ...WEB_3, "servers.yaml": servers });
      }
      const shas = [last];
      const statuses = await Promise.all(
        Array.from({ length: 10 }, () => deliver(url, "push", pushPayload(shas[0]!))),
      );
      expect(statuses).toEqual(Array(10).fill(202));
      await until("the last commit applied", async () => (await lastGood()) === last);
      await new Promise((r) => setTimeout(r, 1000));
      const fresh = (await runs()).slice(0, (await runs()).length - before.length);
      const applied = fresh.filter((r) => r.result === "ok");
      expect(applied).toEqual([{ revision: last, result: "ok", trigger: "push" }]);
      expect(fresh.length).toBeLessThanOrEqual(2);
    });

    it("the base moves under an open pull request: planned again on the new base, without its change", async () => {
      const php = SMALL_REPO["labels.yaml"]!.replace("[nginx]", "[nginx, php]");
      const head = await fixture.pushPull(9, { ...(await mainFiles()), "labels.yaml": php });
      expect(await deliver(url, "pull_request", pullPayload("opened", 9, head))).toBe(202);
      await until("pull request 9 planned", () =>
        Promise.resolve(github.comments(9).find((c) => c.body.startsWith(MARKER))),
      );
      // Another change lands on main: a server of its own.
      const files = await mainFiles();
      const web4 = `${files["servers.yaml"]!}  web-4: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.4 }\n`;
      const base = await fixture.commit({ ...files, "servers.yaml": web4 });
      expect(await deliver(url, "push", pushPayload(base))).toBe(202);
      const comment = await until("pull request 9 planned on the new base", () =>
        Promise.resolve(github.comments(9).find((c) => c.body.includes(base.slice(0, 12)))),
      );
      expect(github.comments(9)).toHaveLength(1);
      expect(comment.body).toContain("php");
      // web-4 came with the base: it is not added by this pull request (it only gains php, as
      // every web server does once the pull request lands).
      expect(comment.body).toMatch(/\| \*\*Servers\*\* \| 0 \| 3 \|/);
      expect(comment.body).toContain("<b>web-4</b>: change, 1 change");
      expect(comment.body).not.toMatch(/web-4<\/b>: add/);
    });

    it("a pull request that no longer merges cleanly says so in its comment and its status", async () => {
      const files = await mainFiles();
      const head = await fixture.pushPull(10, {
        ...files,
        "lab.yaml": "lab:\n  name: from-the-pull\n",
      });
      expect(await deliver(url, "pull_request", pullPayload("opened", 10, head))).toBe(202);
      await until("pull request 10 planned", () =>
        Promise.resolve(github.comments(10).find((c) => c.body.startsWith(MARKER))),
      );
      const base = await fixture.commit({ ...files, "lab.yaml": "lab:\n  name: from-main\n" });
      expect(await deliver(url, "push", pushPayload(base))).toBe(202);
      const comment = await until("the conflict said", () =>
        Promise.resolve(github.comments(10).find((c) => c.body.includes("does not merge cleanly"))),
      );
      expect(comment.body).toContain("`lab.yaml`");
      const status = await until("a failing lab/plan status", () =>
        Promise.resolve(
          github.statuses
            .filter((s) => s.url.endsWith(`/${head}`) && s.context === "lab/plan")
            .at(-1)?.state === "failure",
        ),
      );
      expect(status).toBe(true);
    });

    it("the forge answering 502 once: retried, one comment", async () => {
      const head = await fixture.pushPull(11, {
        ...(await mainFiles()),
        "sizes.yaml": SMALL_REPO["sizes.yaml"]!.replace("min_cores: 2", "min_cores: 4"),
      });
      github.failNext(1, { kind: "status", status: 502, method: "POST" });
      expect(await deliver(url, "pull_request", pullPayload("opened", 11, head))).toBe(202);
      await until("pull request 11 commented", () =>
        Promise.resolve(github.comments(11).find((c) => c.body.startsWith(MARKER))),
      );
      expect(github.comments(11)).toHaveLength(1);
    });

    it("the forge answering 403 with a rate-limit reset: waits for the reset, then posts", async () => {
      const head = await fixture.pushPull(12, {
        ...(await mainFiles()),
        "sizes.yaml": SMALL_REPO["sizes.yaml"]!.replace("min_cores: 2", "min_cores: 3"),
      });
      github.failNext(1, { kind: "primary", status: 403, resetIn: 2, method: "POST" });
      const asked = Date.now();
      expect(await deliver(url, "pull_request", pullPayload("opened", 12, head))).toBe(202);
      await until("pull request 12 commented", () =>
        Promise.resolve(github.comments(12).find((c) => c.body.startsWith(MARKER))),
      );
      expect(github.comments(12)).toHaveLength(1);
      // The reset was two seconds away: the comment came after it, not before.
      expect(Date.now() - asked).toBeGreaterThanOrEqual(1000);
    });

    it("a merged pull request gets what the apply that follows did, in its comment", async () => {
      const files = {
        ...(await mainFiles()),
        "groups.yaml":
          "groups:\n  everything:\n    match: { environment: prod }\n  webs:\n    match: { labels: [web] }\n",
      };
      const head = await fixture.pushPull(13, files);
      expect(await deliver(url, "pull_request", pullPayload("opened", 13, head))).toBe(202);
      await until("pull request 13 planned", () =>
        Promise.resolve(github.comments(13).find((c) => c.body.startsWith(MARKER))),
      );
      // Merged: main gets its files, and GitHub says the pull request closed merged.
      const merge = await fixture.commit(files);
      expect(await deliver(url, "pull_request", pullPayload("closed", 13, head, true))).toBe(202);
      const comment = await until("the apply's result on pull request 13", () =>
        Promise.resolve(github.comments(13).find((c) => c.body.includes("lab apply: applied"))),
      );
      expect(comment.body).toContain(merge.slice(0, 12));
      expect(github.comments(13)).toHaveLength(1);
      expect(await lastGood()).toBe(merge);
    });

    it("the remote down: retried, /healthz says so, the last good revision stays; back up, it applies", async () => {
      const good = await lastGood();
      const sha = await fixture.commit({
        ...(await mainFiles()),
        "lab.yaml": "lab:\n  name: while-down\n",
      });
      http.failNext(1000, 503);
      expect(await deliver(url, "push", pushPayload(sha))).toBe(202);
      const health = await until("healthz to say the fetch failed", async () => {
        const res = await fetch(`${url}/healthz`);
        return res.status === 503
          ? ((await res.json()) as { checks: Record<string, { detail?: string }> })
          : null;
      });
      expect(health.checks.fetch?.detail).toMatch(/503|not answering|failed/);
      expect(await lastGood()).toBe(good);
      http.failNext(0, 503);
      expect(await deliver(url, "push", pushPayload(sha))).toBe(202);
      await until(
        "the commit applied once the remote is back",
        async () => (await lastGood()) === sha,
      );
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });

    it("stops on SIGTERM", async () => {
      expect(await served!.stop()).toBe(0);
      expect(served!.stderr()).toContain("lab serve: stopped");
    });
  },
);

describe("lab serve polling a remote that goes down (GitHub's API is a stand-in)", () => {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld("sqlite", 1);
  }, 60_000);
  afterAll(() => stopWorld(world));

  const lastGood = () => withStore(world!, (store) => store.lastGoodRevision());

  it("a poll that fails after its retries: /healthz says so, the last good stays; back up, the next poll applies", async () => {
    const { served: serving, fixture, http } = world!;
    const url = serving.url;
    const good = await until("the first apply", lastGood);
    const sha = await fixture.commit(WEB_3);
    http.failNext(100_000, 503);
    const health = await until("healthz to say the fetch failed", async () => {
      const res = await fetch(`${url}/healthz`);
      return res.status === 503
        ? ((await res.json()) as { checks: Record<string, { detail?: string }> })
        : null;
    });
    expect(health.checks.fetch?.detail).toMatch(/503|not answering/);
    expect(http.requests.filter((r) => r.endsWith(" 503")).length).toBeGreaterThan(1);
    expect(await lastGood()).toBe(good);
    http.failNext(0, 503);
    await until(
      "the commit applied by a poll once the remote is back",
      async () => (await lastGood()) === sha,
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
