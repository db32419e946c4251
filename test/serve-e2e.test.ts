/**
 * `lab serve` end to end on loopback, as a process (bin/lab.js): a bare repo behind
 * `git http-backend` with a token, the state in SQLite, and a stand-in for GitHub's REST API
 * (test/github-standin.ts: a local server speaking the endpoints lab uses — GitHub itself cannot
 * run here). Webhook deliveries are GitHub's own example payloads (@octokit/webhooks-examples)
 * pointed at the test remote and signed with the test's secret.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import { ROOT, SMALL_REPO } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";
import { GitHubStandin } from "./github-standin.js";

const SECRET = "webhook secret of the test";
const GIT_TOKEN = "git-token-of-the-test";
const GH_TOKEN = "ghs_standin_token_of_the_test";
const MARKER = "<!-- lab:plan -->";

interface Examples {
  name: string;
  examples: Record<string, unknown>[];
}
const require = createRequire(import.meta.url);
const ALL = JSON.parse(
  readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
) as Examples[];

function example(event: string, match: (p: Record<string, unknown>) => boolean) {
  const found = ALL.find((e) => e.name === event)?.examples.find(match);
  if (!found) throw new Error(`no ${event} example`);
  return structuredClone(found);
}

const REPOSITORY = { full_name: "acme/infra", name: "infra", owner: { login: "acme" } };

/** GitHub's push example, for `after` on main of acme/infra. */
function pushPayload(after: string): string {
  const p = example("push", (e) => e.ref === "refs/heads/master");
  Object.assign(p, { ref: "refs/heads/main", after, deleted: false, created: false });
  Object.assign(p.repository as object, REPOSITORY);
  return JSON.stringify(p);
}

/** GitHub's pull_request example with `action`, for pull request `n` at `head`. */
function pullPayload(action: string, n: number, head: string): string {
  const p = example("pull_request", (e) => e.action === "opened");
  const pr = p.pull_request as Record<string, unknown>;
  Object.assign(p, { action, number: n });
  Object.assign(pr, { number: n, merged: false });
  Object.assign(pr.head as object, { sha: head });
  Object.assign(pr.base as object, { ref: "main" });
  Object.assign(p.repository as object, REPOSITORY);
  return JSON.stringify(p);
}

let deliveries = 0;
/** What lab serve logged (JSON lines on stdout), shown when a wait times out. */
const served = { log: "" };

async function deliver(url: string, event: string, body: string, signature?: string) {
  const res = await fetch(`${url}/hooks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `e2e-${process.pid}-${++deliveries}`,
      "x-hub-signature-256": signature ?? (await sign(SECRET, body)),
    },
    body,
  });
  return res.status;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 20_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) {
      throw new Error(
        `timed out waiting for ${what}; lab serve's log ends:\n${served.log.slice(-4000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const WEB_3: Readonly<Record<string, string>> = {
  ...SMALL_REPO,
  "servers.yaml":
    SMALL_REPO["servers.yaml"]! +
    "  web-3: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.3 }\n",
};

describe("lab serve (GitHub's API is a stand-in)", () => {
  let fixture: GitFixture;
  let http: GitHttpServer;
  let github: GitHubStandin;
  let state: string;
  let child: ChildProcess;
  let url = "";
  let stderr = "";

  async function lastGood(): Promise<string | null> {
    const { store } = await openStateStore({ path: join(state, "state.db") });
    try {
      return await store.lastGoodRevision();
    } finally {
      await store.close();
    }
  }

  async function runs(): Promise<{ revision: string; result: string | null; trigger: string }[]> {
    const { store } = await openStateStore({ path: join(state, "state.db") });
    try {
      return (await store.lastRuns(100)).map((r) => ({
        revision: r.revision,
        result: r.result,
        trigger: r.trigger,
      }));
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    buildIfStale();
    fixture = await makeGitFixture();
    await fixture.commit(SMALL_REPO);
    http = await startGitHttpServer({ root: fixture.root, token: GIT_TOKEN });
    github = await GitHubStandin.start({ token: GH_TOKEN });
    state = await mkdtemp(join(tmpdir(), "lab-serve-e2e-"));
    child = spawn(
      process.execPath,
      [
        join(ROOT, "bin/lab.js"),
        "--repo",
        `${http.url}/remote.git`,
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--state",
        join(state, "state.db"),
        "--github-repo",
        "acme/infra",
        "--poll-interval",
        "0",
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: state,
          LAB_WEBHOOK_SECRET: SECRET,
          LAB_GIT_TOKEN: GIT_TOKEN,
          GITHUB_TOKEN: GH_TOKEN,
          LAB_GITHUB_API_URL: github.url,
          LAB_CACHE_DIR: join(state, "cache"),
          LAB_LOG_LEVEL: process.env.E2E_LOG ?? "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    // The log (JSON lines on stdout), kept to show when a test fails.
    child.stdout!.on("data", (d: Buffer) => (served.log += d.toString()));
    url = await until("lab serve to listen", () =>
      Promise.resolve(/listening on (http:\/\/\S+)/.exec(stderr)?.[1]),
    );
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await github?.close();
    await http?.stop();
    await fixture?.remove();
    await rm(state, { recursive: true, force: true });
  });

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

  it("stops on SIGTERM", async () => {
    child.kill("SIGTERM");
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(0);
    expect(stderr).toContain("lab serve: stopped");
  });
});
