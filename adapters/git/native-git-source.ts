/**
 * The Git source over the git binary: a bare mirror in a cache folder, fetched with
 * `git fetch <url> +refs/heads/<default>:… +refs/pull/*\/head:…`, trees listed with
 * `git ls-tree -r -l -z` and read through one `git cat-file --batch` process.
 */
import { randomBytes } from "node:crypto";
import { access, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type {
  GitRefs,
  GitRevision,
  GitSource,
  GitSourceOptions,
  GitTree,
  MergeResult,
} from "../../core/git-source.js";
import {
  GitError,
  freshPullMerge,
  fullRef,
  isCommitId,
  mergeRevision,
  pullHeads,
  pullNumber,
} from "../../core/git-source.js";
import { classifyNative, retryable } from "./classify.js";
import type { TreeEntry } from "./git-tree.js";
import { gitTree } from "./git-tree.js";
import { catFile } from "./native-cat-file.js";
import { GitCommandError, runGit, runGitStatus } from "./native-run.js";
import { missingRevision } from "./remote-error.js";
import type { Remote } from "./remote-url.js";
import { defaultCacheDir, parseRemote } from "./remote-url.js";
import { retriedFetch } from "./retried-fetch.js";
import { serialized } from "./serialized.js";

/** `http.<origin>/.extraHeader` through git's environment config: never on a command line. */
export function authEnv(remote: Remote, token: string | undefined): Record<string, string> {
  if (remote.transport !== "http" || !token) return {};
  const n = Number(process.env.GIT_CONFIG_COUNT ?? "0") || 0;
  const origin = new URL(remote.target).origin;
  return {
    GIT_CONFIG_COUNT: String(n + 1),
    [`GIT_CONFIG_KEY_${n}`]: `http.${origin}/.extraHeader`,
    [`GIT_CONFIG_VALUE_${n}`]: `Authorization: Bearer ${token}`,
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Parses `ls-tree -r -l -z`: `<mode> <type> <id> <size>\t<path>\0`. */
function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString("utf8").split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode = "", , id = "", size = ""] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, id, size: Number(size) || 0, path: record.slice(tab + 1) });
  }
  return entries;
}

export function nativeGitSource(url: string, options: GitSourceOptions = {}): GitSource {
  const remote = parseRemote(url);
  const gitDir = options.cache ?? defaultCacheDir(remote.target);
  const env = authEnv(remote, options.token);
  const blobs = catFile(gitDir);
  const last = new Map<string, GitRevision>();
  const once = serialized();
  let defaultBranch = options.defaultBranch;

  const git = (args: string[], signal?: AbortSignal): Promise<Buffer> =>
    runGit(args, { gitDir, env, signal });
  const text = async (args: string[], signal?: AbortSignal): Promise<string> =>
    (await git(args, signal)).toString("utf8").trim();

  /**
   * The local copy, made once. It is made beside its place and renamed into it, so two processes
   * making it at once (two passes on one state directory) never write into one half-made folder:
   * one rename wins, the other's copy is dropped.
   */
  async function ensureMirror(signal?: AbortSignal): Promise<void> {
    if (await exists(join(gitDir, "HEAD"))) return;
    await mkdir(dirname(gitDir), { recursive: true });
    const next = `${gitDir}.new-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      await runGit(["init", "--quiet", "--bare", next], { signal });
      await runGit(["config", "gc.auto", "0"], { gitDir: next, env, signal });
      await rename(next, gitDir).catch(async () => {
        // Another process made it first: use it. A folder there that is not a copy (files left
        // by hand) is made one in place, as before.
        if (await exists(join(gitDir, "HEAD"))) return;
        await runGit(["init", "--quiet", "--bare", gitDir], { signal });
        await git(["config", "gc.auto", "0"], signal);
      });
    } finally {
      await rm(next, { recursive: true, force: true });
    }
  }

  /** The remote's default branch, from its HEAD (`git ls-remote --symref`). */
  async function discoverDefault(signal?: AbortSignal): Promise<string> {
    const out = await runGit(["ls-remote", "--symref", "--", remote.target, "HEAD"], {
      env,
      signal,
    });
    const m = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out.toString("utf8"));
    if (!m?.[1]) throw missingRevision(remote.display, "HEAD (the remote has no default branch)");
    return m[1];
  }

  /** The local ref `ref`, or undefined. */
  async function localRef(ref: string, signal?: AbortSignal): Promise<string | undefined> {
    return text(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], signal)
      .then((sha) => sha || undefined)
      .catch((e: unknown) => {
        if (signal?.aborted) throw e;
        return undefined;
      });
  }

  async function fetchOnce(ref: string, signal?: AbortSignal): Promise<GitRevision> {
    await ensureMirror(signal);
    defaultBranch ??= await discoverDefault(signal);
    const main = `refs/heads/${defaultBranch}`;
    const full = fullRef(ref, defaultBranch);
    const specs = [
      `+${main}:${main}`,
      "+refs/pull/*/head:refs/pull/*/head",
      "+refs/pull/*/merge:refs/pull/*/merge",
    ];
    if (full !== main && pullNumber(full) === undefined) specs.push(`+${full}:${full}`);
    await git(["fetch", "--quiet", "--prune", "--no-tags", "--", remote.target, ...specs], signal);
    await git(["symbolic-ref", "HEAD", main], signal);
    const revision = await localRef(full, signal);
    if (!revision) throw missingRevision(remote.display, full);
    return { ref: full, revision };
  }

  /** After a failed fetch: what the local copy last held for `ref` (it survives restarts). */
  async function lastGood(ref: string): Promise<GitRevision | undefined> {
    const full = defaultBranch ? fullRef(ref, defaultBranch) : ref === "default" ? "HEAD" : ref;
    const known = last.get(full);
    if (known || !(await exists(join(gitDir, "HEAD")))) return known;
    const named =
      full === "HEAD" ? await text(["symbolic-ref", "-q", "HEAD"]).catch(() => "") : full;
    const revision = named ? await localRef(named) : undefined;
    if (!named || !revision) return undefined;
    const found = { ref: named, revision };
    last.set(named, found);
    // The mirror's HEAD names the default branch an earlier run found.
    if (full === "HEAD" && named.startsWith("refs/heads/")) defaultBranch ??= named.slice(11);
    return found;
  }

  async function fetch(ref: string, signal?: AbortSignal): Promise<GitRevision> {
    // A name git would refuse is a usage error before anything runs (the branch is a stand-in).
    fullRef(ref, defaultBranch ?? "main");
    const result = await retriedFetch(
      ref,
      {
        once: fetchOnce,
        verdict: (e) => retryable(classifyNative(e)),
        classify: classifyNative,
        context: async (r) => ({
          remote: remote.display,
          ref: defaultBranch ? fullRef(r, defaultBranch) : r,
          token: Boolean(options.token) && remote.transport === "http",
          lastFetched: await lastGood(r),
        }),
        ...(options.retry ? { retry: options.retry } : {}),
      },
      signal,
    );
    last.set(result.ref, result);
    return result;
  }

  async function resolve(ref: string, signal?: AbortSignal): Promise<string> {
    const name = isCommitId(ref) || ref === "default" ? ref : fullRef(ref, defaultBranch ?? "-");
    const sha = (await exists(join(gitDir, "HEAD")))
      ? await localRef(name === "default" ? "HEAD" : name, signal)
      : undefined;
    if (!sha) throw missingRevision(remote.display, ref);
    return sha;
  }

  /** Every `refs/pull/...` ref of the local copy, as [name, commit id]. */
  async function pullRefs(signal?: AbortSignal): Promise<Array<[string, string]>> {
    const out = await text(
      ["for-each-ref", "--format=%(objectname) %(refname)", "refs/pull/"],
      signal,
    );
    return out
      .split("\n")
      .filter((line) => line !== "")
      .map((line): [string, string] => {
        const [revision = "", ref = ""] = line.split(" ");
        return [ref, revision];
      });
  }

  async function refs(signal?: AbortSignal): Promise<GitRefs> {
    const head = await resolve("default", signal);
    const main = await text(["symbolic-ref", "HEAD"], signal);
    const pulls = pullHeads(await pullRefs(signal));
    return { defaultBranch: { ref: main, revision: head }, pulls };
  }

  /** The tree of `object` (a commit or a tree id), named `revision`. */
  function treeOf(object: string, revision: string): GitTree {
    return gitTree({
      revision,
      description: `git:${remote.display}@${revision.startsWith("merge:") ? revision : revision.slice(0, 12)}`,
      entries: async (s) =>
        parseLsTree(await git(["ls-tree", "-r", "-l", "-z", "--full-tree", object], s)),
      blob: (id, s) => blobs.read(id, s),
    });
  }

  async function tree(revision: string, signal?: AbortSignal): Promise<GitTree> {
    const commit = await resolve(revision, signal);
    return treeOf(commit, commit);
  }

  async function parents(commit: string, signal?: AbortSignal): Promise<string[]> {
    const out = await text(["show", "-s", "--format=%P", commit], signal);
    return out.split(" ").filter((p) => p !== "");
  }

  async function merge(base: string, head: string, signal?: AbortSignal): Promise<MergeResult> {
    const b = await resolve(base, signal);
    const h = await resolve(head, signal);
    const pulls = pullHeads(await pullRefs(signal));
    const forge = await freshPullMerge(pulls, b, h, (c) => parents(c, signal));
    if (forge) return { clean: true, tree: treeOf(forge, forge), base: b, head: h };
    const args = ["merge-tree", "--write-tree", "--name-only", "-z", b, h];
    const run = await runGitStatus(args, [0, 1], { gitDir, env, signal }).catch((e: unknown) => {
      if (!(e instanceof GitCommandError)) throw e;
      throw new GitError(
        `cannot merge ${h.slice(0, 12)} onto ${b.slice(0, 12)} in the local copy of ${remote.display}: ${e.message}`,
        { reason: "failed", remote: remote.display },
        { cause: e },
      );
    });
    // `<tree>\0` then, on a conflict, each conflicting path and `\0`, an empty entry, messages.
    const [treeId = "", ...rest] = run.stdout.toString("utf8").split("\0");
    if (run.exitCode === 0) {
      return { clean: true, tree: treeOf(treeId, mergeRevision(b, h)), base: b, head: h };
    }
    const end = rest.indexOf("");
    const conflicts = [...new Set(rest.slice(0, end < 0 ? rest.length : end))].sort();
    return { clean: false, conflicts, base: b, head: h };
  }

  return {
    kind: "native",
    remote: remote.display,
    fetch: (ref, signal) => once(() => fetch(ref, signal)),
    resolve,
    refs,
    tree,
    merge,
    lastFetched: (ref = "default") =>
      defaultBranch ? last.get(fullRef(ref, defaultBranch)) : undefined,
    close: () => blobs.close(),
  };
}
