/**
 * What the `lab serve` process suites share: GitHub's own example payloads
 * (@octokit/webhooks-examples) pointed at the test remote and signed with the test's secret,
 * their delivery to a running `lab serve`, waiting for an outcome, and starting `bin/lab.js serve`
 * as a process that reports where it listens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { ROOT, SMALL_REPO } from "./cli-harness.js";

export const SECRET = "webhook secret of the test";
export const GIT_TOKEN = "git-token-of-the-test";
export const GH_TOKEN = "ghs_standin_token_of_the_test";
export { PLAN_COMMENT_MARKER as MARKER } from "../reconciler/report/plan-comment.js";

interface Examples {
  name: string;
  examples: Record<string, unknown>[];
}
const require = createRequire(import.meta.url);
const ALL = JSON.parse(
  readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
) as Examples[];

/** A copy of GitHub's own example payload of `event` (@octokit/webhooks-examples) that matches. */
export function example(
  event: string,
  match: (p: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  const found = ALL.find((e) => e.name === event)?.examples.find(match);
  if (!found) throw new Error(`no ${event} example`);
  return structuredClone(found);
}

const REPOSITORY = { full_name: "acme/infra", name: "infra", owner: { login: "acme" } };

/** GitHub's push example, for `after` on main of acme/infra. */
export function pushPayload(after: string): string {
  const p = example("push", (e) => e.ref === "refs/heads/master");
  Object.assign(p, { ref: "refs/heads/main", after, deleted: false, created: false });
  Object.assign(p.repository as object, REPOSITORY);
  return JSON.stringify(p);
}

/** GitHub's pull_request example with `action`, for pull request `n` at `head`. */
export function pullPayload(action: string, n: number, head: string, merged = false): string {
  const p = example("pull_request", (e) => e.action === "opened");
  const pr = p.pull_request as Record<string, unknown>;
  Object.assign(p, { action, number: n });
  Object.assign(pr, { number: n, merged, ...(action === "closed" ? { state: "closed" } : {}) });
  Object.assign(pr.head as object, { sha: head });
  Object.assign(pr.base as object, { ref: "main" });
  Object.assign(p.repository as object, REPOSITORY);
  return JSON.stringify(p);
}

let deliveries = 0;

/** A fresh delivery id, as GitHub gives each delivery. */
export function deliveryId(): string {
  return `e2e-${process.pid}-${++deliveries}`;
}

/** Posts a delivery to `POST /hooks/github`: its status and JSON answer. */
export async function post(
  url: string,
  event: string,
  body: string,
  options: { signature?: string; delivery?: string } = {},
): Promise<{ status: number; answer: { status?: string } }> {
  const res = await fetch(`${url}/hooks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": options.delivery ?? deliveryId(),
      "x-hub-signature-256": options.signature ?? (await sign(SECRET, body)),
    },
    body,
  });
  return { status: res.status, answer: (await res.json()) as { status?: string } };
}

/** Posts a delivery with a fresh id; its status. */
export async function deliver(
  url: string,
  event: string,
  body: string,
  signature?: string,
): Promise<number> {
  return (await post(url, event, body, signature ? { signature } : {})).status;
}

/** Probes every 100 ms until `probe` gives a value; past `ms`, fails with the end of `log()`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 20_000,
  log: () => string = () => "",
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) {
      throw new Error(
        `timed out waiting for ${what}; lab serve's log ends:\n${log().slice(-4000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SMALL_REPO with a third web server. */
export const WEB_3: Readonly<Record<string, string>> = {
  ...SMALL_REPO,
  "servers.yaml":
    SMALL_REPO["servers.yaml"]! +
    "  web-3: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.3 }\n",
};

export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Its log so far (JSON lines on stdout). */
  log(): string;
  /** SIGTERM, then its exit code (null when it was already gone by a signal). */
  stop(): Promise<number | null>;
  /** Resolves with the signal that ended it, or null when it exited. */
  exited: Promise<NodeJS.Signals | null>;
}

export interface ServeStart {
  /** The remote, as `--repo`. */
  remote: string;
  /** `--state`: the store's file (SQLite) and, by its folder, the outputs and the Git copy. */
  state: string;
  /** HOME and the cache's parent. */
  home: string;
  githubUrl: string;
  /** More environment (LAB_DATABASE_URL, LAB_FAULT_AT, …). */
  env?: Readonly<Record<string, string>>;
  /** `--poll-interval` in seconds (default 0: one poll at start, webhooks do the rest). */
  pollSeconds?: number;
}

/** Starts `lab serve` on a free loopback port, webhooks on, polling once at start (by default). */
export async function startServe(start: ServeStart): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, "bin/lab.js"),
      "--repo",
      start.remote,
      "serve",
      "--listen",
      "127.0.0.1:0",
      "--state",
      start.state,
      "--github-repo",
      "acme/infra",
      "--poll-interval",
      String(start.pollSeconds ?? 0),
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: start.home,
        LAB_WEBHOOK_SECRET: SECRET,
        LAB_GIT_TOKEN: GIT_TOKEN,
        GITHUB_TOKEN: GH_TOKEN,
        LAB_GITHUB_API_URL: start.githubUrl,
        LAB_CACHE_DIR: join(start.home, "cache"),
        LAB_LOG_LEVEL: process.env.E2E_LOG ?? "warn",
        ...start.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  let log = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  const url = await until(
    "lab serve to listen",
    () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`lab serve ended before it listened:\n${stderr}\n${log.slice(-4000)}`);
      }
      return Promise.resolve(/listening on (http:\/\/\S+)/.exec(stderr)?.[1]);
    },
    30_000,
    () => `${stderr}\n${log}`,
  );
  return {
    child,
    url,
    stderr: () => stderr,
    log: () => log,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      await exited;
      return child.exitCode;
    },
  };
}
