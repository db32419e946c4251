/**
 * No secret value leaves its SOPS file unless one value is asked for (`lab secret get`). The
 * example repo with its secrets set (and the age key that decrypts them at hand, so nothing is
 * safe merely for want of a key) is validated, listed, shown, audited, rendered, planned,
 * reconciled, and planned on a pull request by `lab serve` with a comment and a status written to
 * the test suite's stand-in for GitHub's REST API (nothing of GitHub runs here). Then every byte
 * lab wrote — stdout, stderr, log lines, rendered and applied files, the state store's database,
 * the comment, the statuses, error messages — is searched for every value and for SOPS ciphertext.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSecretValues } from "../adapters/secrets/sops/secret-files.js";
import { copyExample, removeTemps, ROOT, tempDir } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { GitHubStandin } from "./github-standin.js";
import { deliver, GH_TOKEN, pullPayload, startServe, until } from "./serve-harness.js";

const LAB = join(ROOT, "bin", "lab.js");
const GIT_ENV = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.org",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.org",
};
/** A value no part of lab could print by chance. */
const CANARY = `canary-${randomBytes(12).toString("hex")}`;

interface Said {
  what: string;
  text: string;
}

let repo: string;
let home: string;
let env: Record<string, string>;
const said: Said[] = [];
const values = new Set<string>();

async function labRun(args: string[], input?: string): Promise<{ code: number; out: string }> {
  const child = execFile(process.execPath, [LAB, "--repo", repo, ...args], { env });
  if (input !== undefined) child.stdin!.end(input);
  else child.stdin!.end();
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  return { code, out: stdout + stderr };
}

/** Runs lab and keeps everything it printed, to be searched. */
async function labSays(args: string[], input?: string): Promise<{ code: number; out: string }> {
  const result = await labRun(args, input);
  said.push({ what: `lab ${args.join(" ")}`, text: result.out });
  return result;
}

function git(...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { env: { ...process.env, ...GIT_ENV } })
    .toString()
    .trim();
}

/** Every file under `dir` (the database, outputs, logs), as text of its bytes. */
function filesUnder(dir: string, what: string): Said[] {
  const out: Said[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, `${what}/${name}`));
    else out.push({ what: `${what}/${name}`, text: readFileSync(path).toString("latin1") });
  }
  return out;
}

/** The strings a value could be seen as: itself, and each longer line of it. */
function needles(value: string): string[] {
  const lines = value.split("\n").map((l) => l.trim());
  return [value, ...lines].filter((v) => v.length >= 6);
}

beforeAll(async () => {
  buildIfStale();
  repo = copyExample("lab-noleak-");
  home = tempDir("lab-noleak-home-");
  env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    NO_COLOR: "1",
    LAB_CACHE_DIR: join(home, "cache"),
    SOPS_AGE_KEY_FILE: join(repo, "test-only-age-key.txt"),
  };
  git("init", "--quiet", "--initial-branch=main");
  git("add", "--all");
  git("commit", "--quiet", "--message", "the example");
  for (const ref of await listSecretValues(repo, new AbortController().signal)) {
    const got = await labRun(["secret", "get", ref.path]);
    expect(got.code, `lab secret get ${ref.path}`).toBe(0);
    for (const n of needles(got.out.replace(/\n$/, ""))) values.add(n);
  }
}, 120_000);

afterAll(() => removeTemps());

describe("no secret value in anything lab writes", () => {
  it("decrypts the example's values (the test has something to look for)", () => {
    expect(values.size).toBeGreaterThanOrEqual(5);
  });

  it("stays out of the CLI's answers, plans, renders, reconciles and errors", async () => {
    const base = git("rev-parse", "HEAD");
    // A change of a value, and mail servers granted one more secret.
    const set = await labSays(["secret", "set", "mail/relay-credentials"], `${CANARY}\n`);
    expect(set.code).toBe(0);
    values.add(CANARY);
    const roles = join(repo, "labels", "roles.yaml");
    const text = readFileSync(roles, "utf8");
    const granted = text.replace(
      "secrets: [mail/tls-cert, mail/dkim-key]",
      "secrets: [mail/tls-cert, mail/dkim-key, ci/runner-token]",
    );
    expect(granted).not.toBe(text);
    writeFileSync(roles, granted);
    git(
      "commit",
      "--quiet",
      "--all",
      "--message",
      "a new relay login; mail servers get the CI token",
    );

    for (const args of [
      ["validate"],
      ["get", "secrets"],
      ["get", "secrets", "-o", "json"],
      ["show", "secret", "mail/relay-credentials"],
      ["show", "secret", "mail/relay-credentials", "-o", "yaml"],
      ["show", "server", "mail-2", "-o", "json"],
      ["targets", "server", "mail-2"],
      ["render", "--out", join(home, "rendered")],
      ["render", "--dry-run", "--out", join(home, "rendered")],
      ["enc", "mail-2"],
      ["secret", "audit"],
      ["secret", "audit", "-o", "json"],
    ]) {
      await labSays(args);
    }
    const plan = await labSays(["plan", "--base", base, "--head", "HEAD"]);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain("mail/relay-credentials");
    expect(plan.out).toMatch(/ci\/runner-token/);
    await labSays(["plan", "--base", base, "--head", "HEAD", "-o", "json"]);
    const state = join(home, "state", "state.db");
    expect((await labSays(["reconcile", "--state", state])).code).toBe(0);
    await labSays(["reconcile", "--state", state, "-o", "json"]);
    // Errors that name secrets: an unknown path, a wrong key, a file that cannot be written.
    await labSays(["secret", "get", "mail/no-such-key"]);
    const wrong = execFileSync("age-keygen", { stdio: ["ignore", "pipe", "ignore"] }).toString();
    writeFileSync(join(home, "wrong.txt"), wrong);
    const saved = env.SOPS_AGE_KEY_FILE!;
    env.SOPS_AGE_KEY_FILE = join(home, "wrong.txt");
    const refused = await labSays(["secret", "get", "mail/relay-credentials"]);
    expect(refused.code).not.toBe(0);
    await labSays(["secret", "set", "mail/relay-credentials"], "another\n");
    env.SOPS_AGE_KEY_FILE = saved;

    said.push(...filesUnder(join(home, "rendered"), "rendered"));
    said.push(...filesUnder(join(repo, ".lab"), "repo/.lab"));
    said.push(...filesUnder(join(home, "state"), "state"));
    assertNoValue();
  }, 300_000);

  it("stays out of lab serve's pull request comment, statuses and log", async () => {
    const github = await GitHubStandin.start({ token: GH_TOKEN });
    const head = git("rev-parse", "HEAD");
    // The pull request is the last commit; main goes back one.
    git("update-ref", "refs/pull/1/head", head);
    git("reset", "--quiet", "--hard", "HEAD~1");
    const served = await startServe({
      remote: repo,
      state: join(home, "serve", "state.db"),
      home,
      githubUrl: github.url,
      env: { SOPS_AGE_KEY_FILE: env.SOPS_AGE_KEY_FILE!, LAB_LOG_LEVEL: "debug" },
    });
    try {
      expect(await deliver(served.url, "pull_request", pullPayload("opened", 1, head))).toBe(202);
      const comment = await until(
        "the plan comment",
        () => Promise.resolve(github.comments(1)[0]),
        120_000,
        () => served.stderr() + served.log(),
      );
      expect(comment.body).toContain("mail/relay-credentials");
      expect(comment.body).toMatch(/value changed/i);
      said.push({ what: "the plan comment", text: comment.body });
      said.push({ what: "the statuses", text: JSON.stringify(github.statuses) });
      said.push({ what: "the requests", text: JSON.stringify(github.requests) });
    } finally {
      await served.stop();
      await github.close();
    }
    said.push({ what: "lab serve's log", text: served.log() });
    said.push({ what: "lab serve's stderr", text: served.stderr() });
    said.push(...filesUnder(join(home, "serve"), "serve state"));
    assertNoValue();
  }, 300_000);
});

function assertNoValue(): void {
  const found: string[] = [];
  for (const { what, text } of said) {
    for (const value of values) {
      if (text.includes(value)) found.push(`${what}: a secret value (${value.length} characters)`);
    }
    if (/ENC\[AES256_GCM,/.test(text)) found.push(`${what}: SOPS ciphertext`);
  }
  expect(found).toEqual([]);
  expect(said.length).toBeGreaterThan(10);
}
