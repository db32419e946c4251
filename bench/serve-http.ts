/**
 * `lab serve` as people run it, everything on loopback: the built CLI as its own process, the
 * generated repo as the remote, SQLite state, webhooks over HTTP signed as GitHub signs them, and
 * the test suite's stand-in for GitHub's REST API (a local server speaking the endpoints lab uses;
 * nothing of GitHub runs here). Each run starts a fresh server and times, from the moment the
 * delivery is sent to the moment the stand-in holds the outcome: a push to the default branch to
 * its `lab/apply` status (push), a pull request's opening to its plan comment (pull), and its
 * second revision to the comment edited (pull2). `start` is process start to the first apply
 * (cold, including node's start-up and the first fetch). Parts in ms.
 */
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitHubStandin } from "../test/github-standin.js";
import { commitLabel } from "./serve.js";
import { reconcileStage } from "./reconcile.js";
import { spawnServe } from "./serve-process.js";
import type { Parts, Stage } from "./stages.js";

const SECRET = "bench webhook secret";
const TOKEN = "ghs_bench_standin_token";
/** BENCH_SERVE_LOG=FILE: the server's log (level info) appended to FILE, to see where time goes. */
const LOG_FILE = process.env.BENCH_SERVE_LOG;
const REPOSITORY = { full_name: "acme/infra", name: "infra", owner: { login: "acme" } };

interface Input {
  dir: string;
  labels: string;
}

/** Waits for `probe` every 10 ms (the figure's resolution), at most `ms`. */
async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let deliveries = 0;

async function deliver(url: string, event: string, payload: object): Promise<void> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const res = await fetch(`${url}/hooks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `bench-${process.pid}-${++deliveries}`,
      "x-hub-signature-256": signature,
    },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 202) throw new Error(`the ${event} delivery got ${res.status}`);
}

function pullPayload(action: string, head: string): object {
  return {
    action,
    number: 1,
    pull_request: { number: 1, merged: false, head: { sha: head }, base: { ref: "main" } },
    repository: REPOSITORY,
  };
}

function startServe(dir: string, stateDir: string, githubUrl: string) {
  return spawnServe(dir, stateDir, {
    args: ["--github-repo", "acme/infra"],
    env: {
      LAB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN: TOKEN,
      LAB_GITHUB_API_URL: githubUrl,
      LAB_LOG_LEVEL: LOG_FILE ? "info" : "warn",
    },
    stdout: LOG_FILE ? openSync(LOG_FILE, "a") : "ignore",
  });
}

export const serveHttpStage: Stage<Input> = {
  name: "serve-http",
  description:
    "lab serve as a process on loopback: push → apply status, pull request → plan comment (GitHub stand-in)",
  prepare: (dir) => reconcileStage.prepare(dir),
  async run({ dir, labels }): Promise<Parts> {
    // A pull request of an earlier run would be planned by the first poll: none is left.
    execFileSync("git", ["-C", dir, "update-ref", "-d", "refs/pull/1/head"]);
    const stateDir = await mkdtemp(join(tmpdir(), "lab-bench-serve-http-"));
    const github = await GitHubStandin.start({ token: TOKEN });
    const applied = (sha: string) => () =>
      github.statuses.find(
        (s) => s.context === "lab/apply" && s.url.endsWith(sha) && s.state !== "pending",
      );
    const started = performance.now();
    const serve = startServe(dir, stateDir, github.url);
    try {
      const url = await serve.url;
      const first = execFileSync("git", ["-C", dir, "rev-parse", "HEAD"]).toString().trim();
      await until("the first apply", applied(first), 600_000);
      const start = performance.now() - started;

      const main = await commitLabel(dir, labels);
      let t = performance.now();
      await deliver(url, "push", { ref: "refs/heads/main", after: main, repository: REPOSITORY });
      const status = await until("the push's lab/apply status", applied(main), 600_000);
      if (status.state !== "success") throw new Error(`the apply said ${status.state}`);
      const push = performance.now() - t;

      const head = await commitLabel(dir, labels, "refs/pull/1/head");
      t = performance.now();
      await deliver(url, "pull_request", pullPayload("opened", head));
      await until("the plan comment", () => github.comments(1)[0], 600_000);
      const pull = performance.now() - t;
      const body = github.comments(1)[0]!.body;

      const head2 = await commitLabel(dir, labels, "refs/pull/1/head");
      t = performance.now();
      await deliver(url, "pull_request", pullPayload("synchronize", head2));
      await until(
        "the comment edited",
        () => (github.comments(1)[0]?.body !== body ? true : undefined),
        600_000,
      );
      const pull2 = performance.now() - t;
      if (github.comments(1).length !== 1) throw new Error("the pull request has two comments");
      return { parts: { start, push, pull, pull2 } };
    } catch (err) {
      throw new Error(`${(err as Error).message}\nlab serve said:\n${serve.stderr().slice(-4000)}`);
    } finally {
      await serve.stop();
      await github.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};
