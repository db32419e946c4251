/**
 * The Git source over commits held in memory, for tests and dry runs: a MemoryRemote plays the
 * remote (refs, commits, and whether it answers), the source keeps its own copy of what it fetched.
 * Blob ids are git's; commit ids are a hash of the tree and the parent (not git's commit format).
 */
import { createHash } from "node:crypto";
import { LabError } from "../../core/errors.js";
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
  gitBlobId,
  isCommitId,
  mergeRevision,
  pullHeads,
  pullMergeNumber,
  pullNumber,
} from "../../core/git-source.js";
import type { Failure } from "./classify.js";
import { retryable } from "./classify.js";
import { gitTree } from "./git-tree.js";
import { missingRevision, remoteError } from "./remote-error.js";
import { RetryFailure, withRetry } from "./retry.js";

export interface MemoryRemote {
  readonly url: string;
  defaultBranch: string;
  /** Full ref name → commit id. */
  readonly refs: Map<string, string>;
  /** Commit id → its files (path → bytes). */
  readonly commits: Map<string, ReadonlyMap<string, Uint8Array>>;
  /** Commit id → its parents' ids, first parent first. */
  readonly parents: Map<string, readonly string[]>;
  /** When set, the remote does not answer: fetches fail as a remote that is down. */
  down: boolean;
}

export function memoryRemote(url = "memory://remote", defaultBranch = "main"): MemoryRemote {
  return {
    url,
    defaultBranch,
    refs: new Map(),
    commits: new Map(),
    parents: new Map(),
    down: false,
  };
}

/**
 * Commits `files` (the whole tree) on `ref` of the remote; returns the commit id. Its parents are
 * `parents` when given (a pull request's head on top of main, a merge commit), else the commit
 * `ref` pointed to.
 */
export function commitTo(
  remote: MemoryRemote,
  ref: string,
  files: Readonly<Record<string, string | Uint8Array>>,
  parents?: readonly string[],
): string {
  const full = fullRef(ref, remote.defaultBranch);
  const previous = remote.refs.get(full);
  const from = parents ?? (previous === undefined ? [] : [previous]);
  const tree = new Map(
    Object.entries(files).map(([p, c]) => [p, typeof c === "string" ? Buffer.from(c) : c]),
  );
  const hash = createHash("sha1").update(`parent ${from.join(" ")}\0`);
  for (const path of [...tree.keys()].sort())
    hash.update(`${path}\0${gitBlobId(tree.get(path)!)}\0`);
  const id = hash.digest("hex");
  remote.commits.set(id, tree);
  remote.parents.set(id, [...from]);
  remote.refs.set(full, id);
  return id;
}

type Files = ReadonlyMap<string, Uint8Array>;

/** The nearest common ancestor of `a` and `b` in the remote's history, if any. */
function mergeBase(remote: MemoryRemote, a: string, b: string): string | undefined {
  const ofA = new Set<string>();
  for (const queue = [a]; queue.length > 0;) {
    const id = queue.shift()!;
    if (ofA.has(id)) continue;
    ofA.add(id);
    queue.push(...(remote.parents.get(id) ?? []));
  }
  const seen = new Set<string>();
  for (const queue = [b]; queue.length > 0;) {
    const id = queue.shift()!;
    if (ofA.has(id)) return id;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(remote.parents.get(id) ?? []));
  }
  return undefined;
}

/** A three-way merge of whole files: a path both sides changed differently conflicts. */
export function mergeFiles(
  base: Files,
  ours: Files,
  theirs: Files,
): { files: Map<string, Uint8Array>; conflicts: string[] } {
  const same = (x: Uint8Array | undefined, y: Uint8Array | undefined): boolean =>
    x === undefined || y === undefined ? x === y : Buffer.from(x).equals(Buffer.from(y));
  const files = new Map<string, Uint8Array>();
  const conflicts: string[] = [];
  for (const path of new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])) {
    const [b, o, t] = [base.get(path), ours.get(path), theirs.get(path)];
    const merged = same(o, t) || same(t, b) ? o : same(o, b) ? t : null;
    if (merged === null) conflicts.push(path);
    else if (merged !== undefined) files.set(path, merged);
  }
  return { files, conflicts: conflicts.sort() };
}

const DOWN: Failure = { reason: "unreachable", words: "the memory remote is down" };

export function memoryGitSource(remote: MemoryRemote, options: GitSourceOptions = {}): GitSource {
  const local = new Map<string, string>();
  const last = new Map<string, GitRevision>();
  /** Every commit fetched so far: a fetched revision stays readable when its ref moves on. */
  const known = new Set<string>();
  const main = (): string => `refs/heads/${options.defaultBranch ?? remote.defaultBranch}`;

  function fetchOnce(ref: string): Promise<GitRevision> {
    if (remote.down) return Promise.reject(new Error(DOWN.words));
    const full = fullRef(ref, options.defaultBranch ?? remote.defaultBranch);
    const isPull = (name: string): boolean =>
      pullNumber(name) !== undefined || pullMergeNumber(name) !== undefined;
    for (const name of [...local.keys()]) if (isPull(name)) local.delete(name);
    for (const [name, id] of remote.refs) {
      if (name === main() || name === full || isPull(name)) {
        local.set(name, id);
        known.add(id);
      }
    }
    const revision = local.get(full);
    if (!revision) return Promise.reject(missingRevision(remote.url, full));
    return Promise.resolve({ ref: full, revision });
  }

  async function fetch(ref: string, signal?: AbortSignal): Promise<GitRevision> {
    const full = fullRef(ref, options.defaultBranch ?? remote.defaultBranch);
    try {
      const result = await withRetry(() => fetchOnce(ref), classify, options.retry, signal);
      last.set(full, result);
      return result;
    } catch (e) {
      if (!(e instanceof RetryFailure)) throw e;
      // Errors of lab's own (a GitError, a usage error, git missing) pass through as they are.
      if (e.error instanceof LabError) throw e.error;
      throw remoteError(DOWN, {
        remote: remote.url,
        ref: full,
        tries: e.tries,
        token: false,
        lastFetched: last.get(full),
        cause: e.error,
      });
    }
  }

  function resolveSync(ref: string): string {
    if (isCommitId(ref) && known.has(ref)) return ref;
    const id = isCommitId(ref) ? undefined : local.get(fullRef(ref, main().slice(11)));
    if (!id) throw missingRevision(remote.url, ref);
    return id;
  }

  function filesTree(revision: string, files: Files): GitTree {
    const byId = new Map([...files.values()].map((b) => [gitBlobId(b), b]));
    const name = revision.startsWith("merge:") ? revision : revision.slice(0, 12);
    return gitTree({
      revision,
      description: `git:${remote.url}@${name}`,
      entries: () =>
        Promise.resolve(
          [...files].map(([path, b]) => ({
            mode: "100644",
            path,
            id: gitBlobId(b),
            size: b.length,
          })),
        ),
      blob: (id) => Promise.resolve(byId.get(id)),
    });
  }

  const filesOf = (commit: string): Files =>
    remote.commits.get(commit) ?? new Map<string, Uint8Array>();

  const refsSync = (): GitRefs => ({
    defaultBranch: { ref: main(), revision: resolveSync("default") },
    pulls: pullHeads(local),
  });

  async function merge(base: string, head: string, signal?: AbortSignal): Promise<MergeResult> {
    const [b, h] = await run(signal, () => [resolveSync(base), resolveSync(head)] as const);
    const parents = (c: string): Promise<string[]> =>
      Promise.resolve([...(remote.parents.get(c) ?? [])]);
    const forge = await freshPullMerge(pullHeads(local), b, h, parents);
    if (forge) return { clean: true, tree: filesTree(forge, filesOf(forge)), base: b, head: h };
    const ancestor = mergeBase(remote, b, h);
    const result = mergeFiles(ancestor ? filesOf(ancestor) : new Map(), filesOf(b), filesOf(h));
    if (result.conflicts.length > 0) {
      return { clean: false, conflicts: result.conflicts, base: b, head: h };
    }
    return { clean: true, tree: filesTree(mergeRevision(b, h), result.files), base: b, head: h };
  }

  return {
    kind: "memory",
    remote: remote.url,
    fetch,
    resolve: (ref, signal) => run(signal, () => resolveSync(ref)),
    refs: (signal) => run(signal, refsSync),
    tree: (revision, signal) =>
      run(signal, () => {
        const commit = resolveSync(revision);
        return filesTree(commit, filesOf(commit));
      }),
    merge,
    lastFetched: (ref = "default") =>
      last.get(fullRef(ref, options.defaultBranch ?? remote.defaultBranch)),
    close: () => Promise.resolve(),
  };
}

function classify(error: unknown): "retry" | "fail" {
  return error instanceof GitError ? "fail" : retryable(DOWN);
}

/** `fn` as an IO call: rejects (never throws) with the abort reason or fn's error. */
async function run<T>(signal: AbortSignal | undefined, fn: () => T): Promise<T> {
  await Promise.resolve();
  signal?.throwIfAborted();
  return fn();
}
