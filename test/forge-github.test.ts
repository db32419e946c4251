/**
 * The GitHub forge through Octokit and its retry and throttling plugins, against a stand-in for
 * GitHub's REST API (test/github-standin.ts): nothing of GitHub runs here. Waits are scaled down
 * (one "second" is a few milliseconds) so the rate-limit paths run for real, quickly.
 */
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { FORGES } from "../core/forge.js";
import type { PullRequestRef } from "../core/forge.js";
import { ForgeError } from "../adapters/forge/forge-error.js";
import type { GitHubForgeOptions } from "../adapters/forge/github/github-forge.js";
import { githubForge } from "../adapters/forge/github/github-forge.js";
import { MemoryForge } from "../adapters/forge/memory-forge.js";
import { STATUS_CONTEXTS } from "../adapters/forge/status.js";
import type { Plan } from "../reconciler/plan/plan-types.js";
import {
  commentHash,
  PLAN_COMMENT_MARKER,
  planComment,
} from "../reconciler/report/plan-comment.js";
import { GitHubStandin } from "./github-standin.js";

const TOKEN = "ghs_standinToken0123456789abcdefABCDEF";
const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
const PR: PullRequestRef = { number: 7, headSha: SHA, baseRef: "main", baseSha: "0".repeat(40) };
const COMMENTS = /^\/repos\/acme\/infra\/issues\/7\/comments$/;
const EDIT = /^\/repos\/acme\/infra\/issues\/comments\/\d+$/;
/** One second of waiting, in milliseconds, for these tests. */
const SECOND_MS = 20;

let gh: GitHubStandin;

beforeEach(async () => {
  gh = await GitHubStandin.start({ token: TOKEN });
});
afterEach(() => gh.close());

function forge(options: Partial<GitHubForgeOptions> = {}) {
  return githubForge({
    owner: "acme",
    repo: "infra",
    env: { GITHUB_TOKEN: TOKEN, LAB_GITHUB_API_URL: gh.url },
    secondMs: SECOND_MS,
    writeIntervalMs: 0,
    ...options,
  });
}

const plan = (text: string) => `${PLAN_COMMENT_MARKER}\n### lab plan: ${text}\n`;

/** What a failing call threw. */
async function failure(run: () => Promise<unknown>): Promise<ForgeError> {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ForgeError);
  return err as ForgeError;
}

function others(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Looks good to me (${i})`);
}

describe("GitHub forge against a stand-in for GitHub's API: the plan comment", () => {
  test("found on page 3 of 3 and edited in place, not duplicated", async () => {
    gh.seed(7, others(120), "alice");
    const [old] = gh.seed(7, [plan("old")]);
    gh.seed(7, others(110), "bob");
    const result = await forge().ensurePlanComment(PR, plan("new"));
    expect(result).toEqual({ action: "updated", id: old!.id, hash: commentHash(plan("new")) });
    const pages = gh.requests.filter((r) => r.method === "GET").map((r) => r.query);
    expect(pages).toEqual(["?per_page=100", "?per_page=100&page=2", "?per_page=100&page=3"]);
    expect(gh.count("PATCH", EDIT)).toBe(1);
    expect(gh.count("POST", COMMENTS)).toBe(0);
    expect(gh.comments(7)).toHaveLength(231);
    expect(gh.comments(7).filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER))).toEqual([
      expect.objectContaining({ id: old!.id, body: plan("new") }),
    ]);
  });

  test("no plan comment yet: one is created; the same body again edits nothing", async () => {
    gh.seed(7, others(3), "alice");
    const f = forge();
    expect((await f.ensurePlanComment(PR, plan("one"))).action).toBe("created");
    expect((await f.ensurePlanComment(PR, plan("one"))).action).toBe("unchanged");
    expect(gh.count("POST", COMMENTS)).toBe(1);
    expect(gh.count("PATCH", EDIT)).toBe(0);
    expect(gh.comments(7).map((c) => c.body.split("\n")[0])).toEqual([
      "Looks good to me (0)",
      "Looks good to me (1)",
      "Looks good to me (2)",
      PLAN_COMMENT_MARKER,
    ]);
  });

  test("unchanged body: read, compared by hash, no PATCH; a known hash costs no request", async () => {
    const [mine] = gh.seed(7, [plan("same")]);
    const f = forge();
    const result = await f.ensurePlanComment(PR, plan("same"));
    expect(result.action).toBe("unchanged");
    expect(gh.count("PATCH", EDIT)).toBe(0);
    const before = gh.requests.length;
    const known = { hash: result.hash, id: mine!.id };
    expect(await f.ensurePlanComment(PR, plan("same"), { known })).toEqual({
      action: "unchanged",
      id: mine!.id,
      hash: commentHash(plan("same")),
    });
    expect(gh.requests.length).toBe(before);
    // A known id with another body: edited straight away, without reading the comments.
    await f.ensurePlanComment(PR, plan("changed"), { known });
    expect(gh.requests.slice(before).map((r) => r.method)).toEqual(["PATCH"]);
    expect(gh.comments(7)[0]!.body).toBe(plan("changed"));
  });

  test("a known id whose comment was deleted: found again by reading, or made anew", async () => {
    const known = { hash: "0".repeat(64), id: 999_999 };
    const result = await forge().ensurePlanComment(PR, plan("again"), { known });
    expect(result.action).toBe("created");
    expect(gh.requests.map((r) => r.method)).toEqual(["PATCH", "GET", "POST"]);
    expect(gh.comments(7).map((c) => c.body)).toEqual([plan("again")]);
  });

  test("several marked comments: the newest is edited; others' comments with the marker are not lab's when an author is set", async () => {
    gh.seed(7, [plan("first")]);
    const [newest] = gh.seed(7, [plan("second")]);
    gh.seed(7, [`${PLAN_COMMENT_MARKER}\nquoted by a person`], "alice");
    await forge({ author: "lab-bot[bot]" }).upsertPlanComment(PR, plan("third"));
    expect(gh.comments(7).map((c) => c.body)).toEqual([
      plan("first"),
      plan("third"),
      `${PLAN_COMMENT_MARKER}\nquoted by a person`,
    ]);
    expect(newest!.body).toBe(plan("third"));
  });

  test("502 on the create, then success: retried, one comment; every try's outcome told", async () => {
    gh.failNext(1, { kind: "status", status: 502, method: "POST" });
    const answers: string[] = [];
    const f = forge({ onAnswer: (a) => answers.push(a) });
    expect((await f.ensurePlanComment(PR, plan("after 502"))).action).toBe("created");
    expect(gh.count("POST", COMMENTS)).toBe(2);
    expect(gh.comments(7).map((c) => c.body)).toEqual([plan("after 502")]);
    // The read of the comments, the create refused with 502, the create again.
    expect(answers).toEqual(["ok", "server-error", "ok"]);
  });

  test("writes: a burst of two at once after a quiet spell, then one per interval", async () => {
    const f = forge({ writeIntervalMs: 200, writeBurst: 2 });
    const shas = ["a", "b", "c", "d"].map((c) => c.repeat(40));
    await Promise.all(shas.map((sha) => f.setStatus(sha, "lab/plan", "success", "ok")));
    const at = gh.requests.filter((r) => r.method === "POST").map((r) => r.at);
    expect(at).toHaveLength(4);
    const since = at.map((t) => t - at[0]!);
    expect(since[1]).toBeLessThan(150);
    expect(since[2]).toBeGreaterThanOrEqual(150);
    expect(since[3]! - since[2]!).toBeGreaterThanOrEqual(150);
  });

  test("a rate limit and a refusal are told apart from a server error", async () => {
    gh.seed(7, [plan("old")]);
    const answers: string[] = [];
    gh.failNext(1, { kind: "secondary", status: 403, retryAfter: 1 });
    await forge({ onAnswer: (a) => answers.push(a) }).ensurePlanComment(PR, plan("new"));
    expect(answers).toEqual(["rate-limited", "ok", "ok"]);
    answers.length = 0;
    const bad = forge({ token: "not the token", onAnswer: (a) => answers.push(a) });
    await expect(bad.ensurePlanComment(PR, plan("newer"))).rejects.toThrow();
    expect(answers).toEqual(["client-error"]);
  });

  test("secondary rate limit (403, Retry-After: 3): waits three seconds, scaled, then succeeds", async () => {
    gh.seed(7, [plan("old")]);
    gh.failNext(1, { kind: "secondary", status: 403, retryAfter: 3 });
    expect((await forge().ensurePlanComment(PR, plan("new"))).action).toBe("updated");
    const [limited, retried] = gh.requests;
    expect([limited!.method, retried!.method]).toEqual(["GET", "GET"]);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(3 * SECOND_MS - 2);
    expect(gh.comments(7).map((c) => c.body)).toEqual([plan("new")]);
  });

  test("429 with Retry-After on an edit, and 403 with x-ratelimit-remaining: 0 until x-ratelimit-reset", async () => {
    gh.seed(7, [plan("old")]);
    const waits: string[] = [];
    const f = forge({ onWait: (w) => waits.push(`${w.kind} ${w.request} ${w.retry}`) });
    gh.failNext(1, { kind: "secondary", status: 429, retryAfter: 2, method: "PATCH" });
    expect((await f.ensurePlanComment(PR, plan("new"))).action).toBe("updated");
    gh.failNext(1, { kind: "primary", status: 403, resetIn: 1 });
    await f.setStatus(SHA, STATUS_CONTEXTS.plan, "success", "planned");
    expect(waits).toEqual([
      expect.stringMatching(
        /^secondary-rate-limit PATCH \/repos\/acme\/infra\/issues\/comments\/\d+ true$/,
      ),
      `rate-limit POST /repos/acme/infra/statuses/${SHA} true`,
    ]);
    expect(gh.count("PATCH", EDIT)).toBe(2);
    expect(gh.statuses.map((s) => s.state)).toEqual(["success"]);
  });
});

describe("GitHub forge against a stand-in for GitHub's API: failures", () => {
  test("persistent 5xx: a clear ForgeError after the bounded tries, naming the request, not the token", async () => {
    gh.failNext(10, { kind: "status", status: 502 });
    const err = await failure(() => forge({ retries: 2 }).ensurePlanComment(PR, plan("x")));
    expect(err.code).toBe("FORGE");
    expect(err.reason).toBe("unavailable");
    expect(err.message).toBe(
      "GET /repos/acme/infra/issues/7/comments failed: 502 Server Error (the forge is not answering) after 3 tries",
    );
    expect(gh.requests).toHaveLength(3);
    expect(inspect(err, { depth: 10 })).not.toContain(TOKEN);
    expect(gh.comments(7)).toEqual([]);
  });

  test("a rate limit that does not end: rate-limited after the bounded retries; a wait too long is not waited", async () => {
    gh.failNext(2, { kind: "secondary", status: 403, retryAfter: 1 });
    const err = await failure(() =>
      forge({ rateLimitRetries: 1 }).upsertPlanComment(PR, plan("x")),
    );
    expect(err.reason).toBe("rate-limited");
    expect(err.message).toMatch(
      /^GET \/repos\/acme\/infra\/issues\/7\/comments failed: 403 You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\. \(still rate limited\) after 2 tries$/,
    );
    expect(gh.requests).toHaveLength(2);
    gh.requests.length = 0;
    gh.failNext(1, { kind: "primary", status: 429, resetIn: 3600 });
    const long = await failure(() =>
      forge({ maxRateLimitWait: 60 }).upsertPlanComment(PR, plan("x")),
    );
    expect(long.reason).toBe("rate-limited");
    expect(gh.requests).toHaveLength(1);
  });

  test("the token is never in an error: a refused token, a refused write", async () => {
    const wrong = `${TOKEN}-revoked`;
    const refused = await failure(() =>
      forge({ env: { GITHUB_TOKEN: wrong, LAB_GITHUB_API_URL: gh.url } }).setStatus(
        SHA,
        "lab/plan",
        "pending",
        "x",
      ),
    );
    expect(refused.reason).toBe("unauthorized");
    expect(refused.message).toBe(
      `POST /repos/acme/infra/statuses/${SHA} failed: 401 Bad credentials (the token was refused) after 1 try`,
    );
    const [mine] = gh.seed(7, [`${PLAN_COMMENT_MARKER}\nby a person`], "alice");
    const rejected = await failure(() =>
      forge().ensurePlanComment(PR, plan("x"), { known: { hash: "0", id: mine!.id } }),
    );
    expect(rejected.reason).toBe("forbidden");
    for (const err of [refused, rejected]) {
      for (const secret of [TOKEN, wrong]) {
        expect(err.message).not.toContain(secret);
        expect(inspect(err, { depth: 10 })).not.toContain(secret);
        expect(JSON.stringify(err)).not.toContain(secret);
      }
    }
    expect(gh.requests.every((r) => r.authorization?.startsWith("token "))).toBe(true);
  });

  test("a server that echoes the token: cut out of the message, the answer not kept", async () => {
    gh.failNext(1, { kind: "status", status: 500, message: `bad header: token ${TOKEN}` });
    const err = await failure(() =>
      forge({ retries: 0 }).setStatus(SHA, "lab/plan", "success", "x"),
    );
    expect(err.message).toBe(
      `POST /repos/acme/infra/statuses/${SHA} failed: 500 bad header: token [REDACTED] (the forge is not answering) after 1 try`,
    );
    expect(err.requestId).toBe("C0DE:1");
    expect(inspect(err, { depth: 10 })).not.toContain(TOKEN);
  });

  test("no answer at all (nothing listens): unavailable after the bounded tries", async () => {
    const closed = await GitHubStandin.start({ token: TOKEN });
    const url = closed.url;
    await closed.close();
    const err = await failure(() =>
      forge({ env: { GITHUB_TOKEN: TOKEN, LAB_GITHUB_API_URL: url }, retries: 1 }).setStatus(
        SHA,
        "lab/plan",
        "error",
        "x",
      ),
    );
    expect(err.reason).toBe("unavailable");
    expect(err.status).toBe(0);
    expect(err.message).toMatch(
      new RegExp(
        `^POST /repos/acme/infra/statuses/${SHA} failed: .+ \\(the forge is not answering\\) after 2 tries$`,
      ),
    );
  });

  test("a plan comment of thousands of servers, trimmed, is taken whole by the stand-in", async () => {
    const at = { file: "labels.yaml", line: 3, col: 5 };
    const servers = Array.from({ length: 4000 }, (_, i) => ({
      name: `web-${i}`,
      id: `server/web-${i}`,
      action: "change" as const,
      source: { file: "servers.yaml", line: i + 2, col: 3 },
      changes: [
        {
          kind: "class" as const,
          name: "certbot",
          id: "class/certbot",
          action: "gain" as const,
          from: [{ kind: "label" as const, name: "web" }],
          source: at,
        },
      ],
    }));
    const big: Plan = {
      kind: "Plan",
      base: "b".repeat(40),
      head: SHA,
      summary: {
        files: { add: 0, change: 0, remove: 0 },
        servers: { add: 0, remove: 0, replace: 0, change: servers.length, unchanged: 0 },
        serversCompared: true,
        risks: 0,
        drift: 0,
        changes: true,
      },
      risks: [],
      outputs: [],
      servers,
      drift: [],
    };
    const body = planComment(big, {
      fileUrl: (f, l, r) => `https://github.com/acme/infra/blob/${r}/${f}#L${l}`,
    });
    expect(body.length).toBeGreaterThan(60_000);
    expect((await forge().ensurePlanComment(PR, body)).action).toBe("created");
    expect(gh.comments(7)[0]!.body).toBe(body);
  });

  test("a body over GitHub's 65,536 characters is refused (422): rejected, not retried", async () => {
    const err = await failure(() => forge().ensurePlanComment(PR, plan("x".repeat(70_000))));
    expect(err.reason).toBe("rejected");
    expect(err.message).toMatch(
      /^POST \/repos\/acme\/infra\/issues\/7\/comments failed: 422 Validation Failed/,
    );
    expect(gh.count("POST", COMMENTS)).toBe(1);
  });

  test("no token: a usage error that names GITHUB_TOKEN; an aborted call rejects with the abort", async () => {
    expect(() => githubForge({ owner: "acme", repo: "infra", env: {} })).toThrow(
      /set GITHUB_TOKEN/,
    );
    const controller = new AbortController();
    controller.abort();
    const err = await forge()
      .upsertPlanComment(PR, plan("x"), controller.signal)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).not.toBeInstanceOf(ForgeError);
    expect((err as Error).name).toBe("AbortError");
    // Aborted during a rate-limit wait: the retry is not sent.
    gh.requests.length = 0;
    gh.failNext(1, { kind: "secondary", status: 403, retryAfter: 3 });
    const during = new AbortController();
    const waited = await forge({ onWait: () => during.abort() })
      .upsertPlanComment(PR, plan("x"), during.signal)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((waited as Error).name).toBe("AbortError");
    expect(gh.requests).toHaveLength(1);
  });

  test("aborted with a reason of the caller's (a server stopping): no retry, the abort", async () => {
    gh.requests.length = 0;
    const stopping = new AbortController();
    stopping.abort(new Error("the work queue is stopping"));
    const err = await forge()
      .setStatus(SHA, "lab/apply", "success", "applied", stopping.signal)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).not.toBeInstanceOf(ForgeError);
    expect((err as Error).name).toBe("AbortError");
    expect(gh.requests).toHaveLength(0);
  });
});

describe("GitHub forge against a stand-in for GitHub's API: statuses and the registry", () => {
  test("a status with lab's context and the description cut to 140 characters", async () => {
    const long = `Plan: ${"3 servers to change, ".repeat(12)}end`;
    const f = forge();
    await f.setStatus(SHA, STATUS_CONTEXTS.plan, "success", long);
    await f.setStatus(SHA, STATUS_CONTEXTS.apply, "pending", "applying 30a5b6c6cb7d");
    expect(gh.statuses.map((s) => [s.context, s.state, s.description])).toEqual([
      ["lab/plan", "success", `${long.slice(0, 139)}…`],
      ["lab/apply", "pending", "applying 30a5b6c6cb7d"],
    ]);
    expect(Array.from(gh.statuses[0]!.description!)).toHaveLength(140);
  });

  test("FORGES has github (options checked) and memory", async () => {
    expect(() => FORGES.get("github")!({ owner: "acme" })).toThrow(/owner, repo/);
    const f = FORGES.get("github")!({
      owner: "acme",
      repo: "infra",
      env: { GITHUB_TOKEN: TOKEN, LAB_GITHUB_API_URL: gh.url },
      writeIntervalMs: 0,
    });
    expect(f.name).toBe("github");
    expect((await f.ensurePlanComment(PR, plan("registry"))).action).toBe("created");
    expect(gh.comments(7).map((c) => c.body)).toEqual([plan("registry")]);
    expect(FORGES.get("memory")!()).toBeInstanceOf(MemoryForge);
  });
});
