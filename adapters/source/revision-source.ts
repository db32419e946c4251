/**
 * Where a reconcile pass takes its revision from (docs/apply.md): `--repo` is a Git remote
 * (http(s)://, file://) or a bare repo — outputs then go under the state directory —, a local
 * Git work tree or a folder inside one, read at the branch's commit (not as the working files
 * are), or a plain folder (or `--worktree`), read as it is, whose revision is its content id.
 */
import { spawn } from "node:child_process";
import { realpath, stat } from "node:fs/promises";
import { relative, resolve as resolvePath, sep } from "node:path";
import { LabError } from "../../core/errors.js";
import type { FileListing, FileSource } from "../../core/file-source.js";
import type { GitRevision, GitSource } from "../../core/git-source.js";
import { GitError, shortRef } from "../../core/git-source.js";
import { contentId } from "../../reconciler/load/content-id.js";
import { repoDirSource } from "../fs/dir-source.js";
import { gitSource } from "../git/registry.js";
import { defaultCacheDir } from "../git/remote-url.js";

export interface Revision {
  source: FileSource;
  /** A commit id, or `content:<id>` for files that are not a commit. */
  revision: string;
  /** What was read, for messages: `main at 1a2b3c4d5e6f of /path`. */
  describe: string;
  /** Another revision's files from the same place, or null (a folder has no history). */
  treeAt: (revision: string) => Promise<FileSource | null>;
  /** The folder the repo's relative output paths start from. */
  base: string;
  /**
   * Set when the remote could not be fetched (it did not answer, after the retries) and this is
   * the last fetched revision of the branch instead (docs/git-source.md).
   */
  stale?: StaleFetch;
  close(): Promise<void>;
}

/** Why a revision is the last fetched one rather than the remote's current one. */
export interface StaleFetch {
  /** The remote, without credentials. */
  remote: string;
  /** What went wrong: `the remote … is not answering (connection refused) after 4 tries`. */
  reason: string;
}

export interface RevisionOptions {
  /** "default" (the remote's HEAD), a branch or a full ref. */
  branch: string;
  cwd: string;
  /** Read a local folder's files as they are, not its commit. */
  worktree?: boolean;
  /** Where outputs of a remote repo go (relative paths start there): the state directory. */
  stateDir: string;
  /** LAB_GIT_TOKEN and git's own variables. */
  env: NodeJS.ProcessEnv;
  /**
   * When the remote does not answer (after the retries), read the branch's last fetched revision
   * instead, marked `stale`, if the local copy holds one (a reconcile pass does).
   */
  lastFetchedWhenDown?: boolean;
  signal?: AbortSignal;
}

function openGit(remote: string, options: RevisionOptions): Promise<GitSource> {
  return gitSource(remote, { cache: defaultCacheDir(remote, options.stateDir) }, options.env);
}

/**
 * The Git repo `dir` is in: the top of its work tree, or `dir` itself for a bare repo; null when
 * it is in none (or there is no git binary: then the folder is read as it is).
 */
async function gitTop(dir: string): Promise<{ top: string; bare: boolean } | null> {
  const bare = await gitSays(dir, ["rev-parse", "--is-bare-repository"]);
  if (bare === "true") return { top: dir, bare: true };
  const top = await gitSays(dir, ["rev-parse", "--show-toplevel"]);
  return top ? { top, bare: false } : null;
}

function gitSays(dir: string, args: readonly string[]): Promise<string | null> {
  return new Promise((done) => {
    const child = spawn("git", ["-C", dir, ...args], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", () => done(null));
    child.on("close", (code) => done(code === 0 && out.trim() ? out.trim() : null));
  });
}

/** The files under `prefix/` of `tree`, as a source rooted there. */
export function subtreeSource(tree: FileSource, prefix: string): FileSource {
  if (prefix === "") return tree;
  const head = `${prefix}/`;
  return {
    description: `${tree.description}:${prefix}`,
    async list(signal): Promise<FileListing> {
      const all = await tree.list(signal);
      const files = all.files
        .filter((f) => f.path.startsWith(head))
        .map((f) => ({ ...f, path: f.path.slice(head.length) }));
      const unreadable = all.unreadable
        .filter((u) => u.path.startsWith(head))
        .map((u) => ({ ...u, path: u.path.slice(head.length) }));
      return { files, unreadable };
    },
    read: (path, signal) => tree.read(`${head}${path}`, signal),
  };
}

async function folderRevision(dir: string): Promise<Revision> {
  const source = repoDirSource(dir);
  const id = await contentId(source);
  return {
    source,
    revision: `content:${id}`,
    describe: `the files of ${dir} as they are`,
    treeAt: () => Promise.resolve(null),
    base: dir,
    close: () => Promise.resolve(),
  };
}

/** The same failure, without a last fetched revision to mention: the pass does not go on. */
function notFallingBack(err: GitError): GitError {
  if (!err.lastFetched) return err;
  const details = { reason: err.reason, remote: err.remote, tries: err.tries };
  return new GitError(
    err.failure,
    err.wanted === undefined ? details : { ...details, wanted: err.wanted },
    { cause: err },
  );
}

/**
 * Fetches the branch; when the remote does not answer (after the retries), the caller asked for
 * it and the local copy holds a last fetched revision of it, that revision, marked stale. Other
 * failures propagate: a token refused or a missing branch is not made good by an older revision.
 */
async function fetchOrLast(
  git: GitSource,
  options: RevisionOptions,
): Promise<{ fetched: GitRevision; stale?: StaleFetch }> {
  try {
    return { fetched: await git.fetch(options.branch, options.signal) };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    const down = err.reason === "unreachable" && options.lastFetchedWhenDown === true;
    const last = down ? (err.lastFetched ?? git.lastFetched(options.branch)) : undefined;
    if (!last) throw notFallingBack(err);
    return { fetched: last, stale: { remote: git.remote, reason: err.failure } };
  }
}

async function gitRevision(
  git: GitSource,
  prefix: string,
  base: string,
  options: RevisionOptions,
): Promise<Revision> {
  try {
    const { fetched, stale } = await fetchOrLast(git, options);
    const tree = await git.tree(fetched.revision, options.signal);
    const ref = shortRef(fetched.ref);
    return {
      source: subtreeSource(tree, prefix),
      revision: fetched.revision,
      describe: `${ref} at ${fetched.revision.slice(0, 12)} of ${git.remote}${prefix ? ` (folder ${prefix})` : ""}${stale ? " (last fetched)" : ""}`,
      treeAt: async (revision) => subtreeSource(await git.tree(revision, options.signal), prefix),
      base,
      ...(stale ? { stale } : {}),
      close: () => git.close(),
    };
  } catch (err) {
    await git.close();
    throw err;
  }
}

export async function openRevision(repo: string, options: RevisionOptions): Promise<Revision> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) {
    return gitRevision(await openGit(repo, options), "", options.stateDir, options);
  }
  const dir = resolvePath(options.cwd, repo);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new LabError(
      "USAGE",
      `the repo ${dir} ${info ? "is a file, not a folder" : "does not exist"}`,
    );
  }
  if (options.worktree) return folderRevision(dir);
  const found = await gitTop(dir);
  if (!found) return folderRevision(dir);
  // A bare repo has no folder of its own to put outputs in: they go to the state directory.
  if (found.bare) return gitRevision(await openGit(dir, options), "", options.stateDir, options);
  const prefix = relative(await realpath(found.top), await realpath(dir))
    .split(sep)
    .join("/");
  return gitRevision(await openGit(found.top, options), prefix, dir, options);
}
