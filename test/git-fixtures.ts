/**
 * Git repositories for tests, made with the real git CLI: a working repo whose commits are pushed
 * to a bare repo (the remote), on `main` and as pull-request heads (`refs/pull/N/head`).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A file's content: text (UTF-8) or bytes. */
export type FixtureFile = string | Uint8Array;

export interface GitFixture {
  /** The folder holding everything; the bare repo is `remote.git` inside it. */
  readonly root: string;
  /** The bare repo's absolute path. */
  readonly bare: string;
  /** Commits exactly `files` (the whole tree) on `branch` (default main) and pushes it. */
  commit(files: Readonly<Record<string, FixtureFile>>, branch?: string): Promise<string>;
  /** Commits `files` on top of main and pushes it as `refs/pull/<n>/head`. */
  pushPull(n: number, files: Readonly<Record<string, FixtureFile>>): Promise<string>;
  /**
   * Pushes a merge commit of main and `refs/pull/<n>/head` holding `files` as
   * `refs/pull/<n>/merge`, as a forge publishes it.
   */
  pushMerge(n: number, files: Readonly<Record<string, FixtureFile>>): Promise<string>;
  /** Deletes a ref in the remote. */
  deleteRef(ref: string): void;
  remove(): Promise<void>;
}

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Lab Test",
  GIT_AUTHOR_EMAIL: "lab@example.org",
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_NAME: "Lab Test",
  GIT_COMMITTER_EMAIL: "lab@example.org",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

/** Runs git (the real binary) and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: ENV, encoding: "utf8", input: "" }).trim();
}

async function writeTree(
  work: string,
  files: Readonly<Record<string, FixtureFile>>,
): Promise<void> {
  git(work, "rm", "-rq", "--ignore-unmatch", "--", ".");
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content);
  }
  git(work, "add", "-A");
}

/** `git hash-object` of bytes, by the real git. */
export function hashObject(bytes: FixtureFile): string {
  const input = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  return execFileSync("git", ["hash-object", "--stdin"], {
    env: ENV,
    encoding: "utf8",
    input,
  }).trim();
}

/** A new remote (bare, default branch main) with no commits yet. */
export async function makeGitFixture(): Promise<GitFixture> {
  const root = await mkdtemp(join(tmpdir(), "lab-git-fixture-"));
  const bare = join(root, "remote.git");
  const work = join(root, "work");
  git(root, "init", "-q", "--bare", "-b", "main", bare);
  git(root, "init", "-q", "-b", "main", work);
  git(work, "config", "core.autocrlf", "false");
  let count = 0;
  async function commitOn(
    branch: string,
    files: Readonly<Record<string, FixtureFile>>,
    target: string,
  ): Promise<string> {
    const hasMain = git(work, "branch", "--list", "main") !== "";
    git(work, "checkout", "-q", ...(hasMain ? ["-B", branch, "main"] : ["-B", branch]));
    await writeTree(work, files);
    git(work, "commit", "-q", "--allow-empty", "-m", `commit ${++count}`);
    const sha = git(work, "rev-parse", "HEAD");
    git(work, "push", "-q", "--force", bare, `HEAD:${target}`);
    return sha;
  }
  async function pushMerge(n: number, files: Readonly<Record<string, FixtureFile>>) {
    git(work, "checkout", "-q", "-B", `merge-${n}`, "main");
    await writeTree(work, files);
    const tree = git(work, "write-tree");
    const parents = ["refs/heads/main", `refs/pull/${n}/head`].map((r) =>
      git(bare, "rev-parse", r),
    );
    const sha = git(work, "commit-tree", tree, "-p", parents[0]!, "-p", parents[1]!, "-m", "merge");
    git(work, "checkout", "-q", "-f", "main");
    git(work, "push", "-q", "--force", bare, `${sha}:refs/pull/${n}/merge`);
    return sha;
  }
  return {
    root,
    bare,
    commit: (files, branch = "main") => commitOn(branch, files, `refs/heads/${branch}`),
    pushPull: (n, files) => commitOn(`pull-${n}`, files, `refs/pull/${n}/head`),
    pushMerge,
    deleteRef: (ref) => void git(bare, "update-ref", "-d", ref),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
