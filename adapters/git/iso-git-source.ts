/**
 * The Git source over isomorphic-git, for hosts without the git binary. An http(s) remote is
 * mirrored into a bare repo in the cache folder (one fetch per ref that moved: the default branch
 * and each `refs/pull/N/head`). isomorphic-git cannot fetch from a local path or a `file://` URL,
 * so a local remote is read in place: its refs are "fetched" by reading them, its objects straight
 * from its object store. Trees are read with readTree/readBlob, never checked out.
 */
import * as fs from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import * as git from "isomorphic-git";
import http from "isomorphic-git/http/node";
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
  pullMergeNumber,
  pullNumber,
} from "../../core/git-source.js";
import { classifyIso, retryable } from "./classify.js";
import { gitTree } from "./git-tree.js";
import { isoMergeTree } from "./iso-merge.js";
import { isoTreeEntries } from "./iso-tree.js";
import { missingRevision } from "./remote-error.js";
import type { Remote } from "./remote-url.js";
import { defaultCacheDir, parseRemote } from "./remote-url.js";
import { retriedFetch } from "./retried-fetch.js";
import { serialized } from "./serialized.js";

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The git dir of a local repo: the path itself when bare, else its `.git`. */
async function localGitDir(path: string): Promise<string> {
  return (await exists(join(path, "objects"))) && (await exists(join(path, "HEAD")))
    ? path
    : join(path, ".git");
}

/** The ref HEAD names (`refs/heads/main`), or "" when HEAD is detached or missing. */
async function headTarget(gitdir: string): Promise<string> {
  const head = await git.resolveRef({ fs, gitdir, ref: "HEAD", depth: 1 }).catch(() => "");
  return head.startsWith("ref: ") ? head.slice(5).trim() : "";
}

/** Where each ref points on the remote, and the remote's default branch. */
interface RemoteRefs {
  head: string | undefined;
  refs: Map<string, string>;
}

export function isoGitSource(url: string, options: GitSourceOptions = {}): GitSource {
  const remote: Remote = parseRemote(url);
  const local = remote.transport === "local";
  const cache = {};
  const headers: Record<string, string> = options.token
    ? { Authorization: `Bearer ${options.token}` }
    : {};
  const last = new Map<string, GitRevision>();
  const once = serialized();
  let defaultBranch = options.defaultBranch;
  let gitdirOf: Promise<string> | undefined;
  const gitdir = (): Promise<string> =>
    (gitdirOf ??= local
      ? localGitDir(remote.target)
      : Promise.resolve(options.cache ?? defaultCacheDir(remote.target)));

  async function remoteRefs(signal?: AbortSignal): Promise<RemoteRefs> {
    if (local) {
      const dir = await gitdir();
      if (!(await exists(join(dir, "HEAD")))) throw notARepo();
      const names = [
        ...(await git.listRefs({ fs, gitdir: dir, filepath: "refs/heads" })).map(
          (n) => `refs/heads/${n}`,
        ),
        ...(await git.listRefs({ fs, gitdir: dir, filepath: "refs/pull" })).map(
          (n) => `refs/pull/${n}`,
        ),
      ];
      const refs = new Map<string, string>();
      for (const ref of names) refs.set(ref, await git.resolveRef({ fs, gitdir: dir, ref }));
      const head = await headTarget(dir);
      return { head: head.startsWith("refs/heads/") ? head.slice(11) : undefined, refs };
    }
    const client = { request: (req: git.GitHttpRequest) => http.request({ ...req, signal }) };
    const info = await git.getRemoteInfo2({
      http: client,
      url: remote.target,
      headers,
      protocolVersion: 1,
    });
    const refs = new Map((info.refs ?? []).filter((r) => !r.target).map((r) => [r.ref, r.oid]));
    const target = info.refs?.find((r) => r.ref === "HEAD")?.target;
    return { head: target?.startsWith("refs/heads/") ? target.slice(11) : undefined, refs };
  }

  function notARepo(): GitError {
    return new GitError(`there is no git repository at ${remote.display}`, {
      reason: "not-a-repo",
      remote: remote.display,
    });
  }

  /** Brings one ref of the mirror to `oid`, fetching it when the object is not there yet. */
  async function mirrorRef(
    dir: string,
    ref: string,
    oid: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const have = await git.resolveRef({ fs, gitdir: dir, ref }).catch(() => undefined);
    if (have === oid) return;
    signal?.throwIfAborted();
    const client = { request: (req: git.GitHttpRequest) => http.request({ ...req, signal }) };
    await git.fetch({
      fs,
      http: client,
      gitdir: dir,
      remote: "lab",
      url: remote.target,
      ref,
      remoteRef: ref,
      singleBranch: true,
      tags: false,
      headers,
      cache,
    });
    await git.writeRef({ fs, gitdir: dir, ref, value: oid, force: true });
  }

  async function fetchOnce(ref: string, signal?: AbortSignal): Promise<GitRevision> {
    const found = await remoteRefs(signal);
    defaultBranch ??= found.head;
    if (!defaultBranch)
      throw missingRevision(remote.display, "HEAD (the remote has no default branch)");
    const main = `refs/heads/${defaultBranch}`;
    const full = fullRef(ref, defaultBranch);
    const revision = found.refs.get(full);
    if (!revision) throw missingRevision(remote.display, full);
    if (!local) {
      const dir = await gitdir();
      if (!(await exists(join(dir, "HEAD")))) {
        await git.init({ fs, gitdir: dir, bare: true });
        // isomorphic-git fetches through a configured remote; its refspec keeps what a fetch
        // brings under refs/lab/, and the mirror's own refs are written after it.
        await git.setConfig({ fs, gitdir: dir, path: "remote.lab.url", value: remote.target });
        await git.setConfig({
          fs,
          gitdir: dir,
          path: "remote.lab.fetch",
          value: "+refs/*:refs/lab/*",
        });
      }
      for (const [name, oid] of [...found.refs].sort()) {
        const pull = pullNumber(name) ?? pullMergeNumber(name);
        if (name === main || name === full || pull !== undefined) {
          await mirrorRef(dir, name, oid, signal);
        }
      }
      for (const name of await git.listRefs({ fs, gitdir: dir, filepath: "refs/pull" })) {
        const pull = `refs/pull/${name}`;
        if (!found.refs.has(pull)) await git.deleteRef({ fs, gitdir: dir, ref: pull });
      }
      await git.writeRef({
        fs,
        gitdir: dir,
        ref: "HEAD",
        value: main,
        symbolic: true,
        force: true,
      });
    }
    return { ref: full, revision };
  }

  async function lastGood(ref: string): Promise<GitRevision | undefined> {
    const full = defaultBranch ? fullRef(ref, defaultBranch) : ref === "default" ? "HEAD" : ref;
    const known = last.get(full);
    const dir = await gitdir();
    if (known || local || !(await exists(join(dir, "HEAD")))) return known;
    const named = full === "HEAD" ? await headTarget(dir) : full;
    const revision = await git.resolveRef({ fs, gitdir: dir, ref: named }).catch(() => undefined);
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
        verdict: (e) => (e instanceof GitError ? "fail" : retryable(classifyIso(e))),
        classify: classifyIso,
        context: async (r) => ({
          remote: remote.display,
          ref: defaultBranch ? fullRef(r, defaultBranch) : r,
          token: Boolean(options.token) && !local,
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
    signal?.throwIfAborted();
    const dir = await gitdir();
    try {
      if (isCommitId(ref)) {
        await git.readCommit({ fs, gitdir: dir, oid: ref, cache });
        return ref;
      }
      const name = ref === "default" ? "HEAD" : fullRef(ref, defaultBranch ?? "-");
      const oid = await git.resolveRef({ fs, gitdir: dir, ref: name });
      await git.readCommit({ fs, gitdir: dir, oid, cache });
      return oid;
    } catch (e) {
      if (e instanceof GitError || (e as { code?: unknown }).code === "USAGE") throw e;
      throw missingRevision(remote.display, ref);
    }
  }

  /** Every `refs/pull/...` ref of the local copy (or the local remote), as [name, commit id]. */
  async function pullRefs(dir: string): Promise<Array<[string, string]>> {
    const found: Array<[string, string]> = [];
    for (const name of await git.listRefs({ fs, gitdir: dir, filepath: "refs/pull" })) {
      const ref = `refs/pull/${name}`;
      if (pullNumber(ref) === undefined && pullMergeNumber(ref) === undefined) continue;
      found.push([ref, await git.resolveRef({ fs, gitdir: dir, ref })]);
    }
    return found;
  }

  async function refs(signal?: AbortSignal): Promise<GitRefs> {
    const head = await resolve("default", signal);
    const dir = await gitdir();
    const main = await headTarget(dir);
    return { defaultBranch: { ref: main, revision: head }, pulls: pullHeads(await pullRefs(dir)) };
  }

  /** The tree whose root tree id is `root`, named `revision`. */
  function treeOf(dir: string, root: string, revision: string): GitTree {
    return gitTree({
      revision,
      description: `git:${remote.display}@${revision.startsWith("merge:") ? revision : revision.slice(0, 12)}`,
      entries: (s) => isoTreeEntries(dir, root, cache, s),
      blob: async (oid, s) => {
        s?.throwIfAborted();
        const found = await git.readBlob({ fs, gitdir: dir, oid, cache }).catch(() => undefined);
        return found?.blob;
      },
    });
  }

  async function commitOf(dir: string, oid: string): Promise<git.CommitObject> {
    return (await git.readCommit({ fs, gitdir: dir, oid, cache })).commit;
  }

  async function tree(revision: string, signal?: AbortSignal): Promise<GitTree> {
    const commit = await resolve(revision, signal);
    const dir = await gitdir();
    return treeOf(dir, (await commitOf(dir, commit)).tree, commit);
  }

  async function merge(base: string, head: string, signal?: AbortSignal): Promise<MergeResult> {
    const b = await resolve(base, signal);
    const h = await resolve(head, signal);
    const dir = await gitdir();
    const pulls = pullHeads(await pullRefs(dir));
    const forge = await freshPullMerge(pulls, b, h, async (c) => (await commitOf(dir, c)).parent);
    if (forge) {
      return {
        clean: true,
        tree: treeOf(dir, (await commitOf(dir, forge)).tree, forge),
        base: b,
        head: h,
      };
    }
    if (local) {
      // isomorphic-git merges by writing objects into the repository it merges in.
      throw new GitError(
        `cannot merge ${h.slice(0, 12)} onto ${b.slice(0, 12)}: isomorphic-git would write into ` +
          `the local remote ${remote.display}, which is read in place; install git, or use an http(s) remote`,
        { reason: "unsupported", remote: remote.display },
      );
    }
    signal?.throwIfAborted();
    const root = await once(() => isoMergeTree(dir, b, h, cache, remote.display));
    if (typeof root !== "string") {
      return { clean: false, conflicts: [...new Set(root.conflicts)].sort(), base: b, head: h };
    }
    return { clean: true, tree: treeOf(dir, root, mergeRevision(b, h)), base: b, head: h };
  }

  return {
    kind: "isomorphic",
    remote: remote.display,
    fetch: (ref, signal) => once(() => fetch(ref, signal)),
    resolve,
    refs,
    tree,
    merge,
    lastFetched: (ref = "default") =>
      defaultBranch ? last.get(fullRef(ref, defaultBranch)) : undefined,
    close: () => Promise.resolve(),
  };
}
