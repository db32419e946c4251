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
} from "../../core/git-source.js";
import {
  GitError,
  fullRef,
  gitBlobId,
  isCommitId,
  pullNumber,
  sortedPulls,
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
  /** When set, the remote does not answer: fetches fail as a remote that is down. */
  down: boolean;
}

export function memoryRemote(url = "memory://remote", defaultBranch = "main"): MemoryRemote {
  return { url, defaultBranch, refs: new Map(), commits: new Map(), down: false };
}

/** Commits `files` (the whole tree) on `ref` of the remote; returns the commit id. */
export function commitTo(
  remote: MemoryRemote,
  ref: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): string {
  const full = fullRef(ref, remote.defaultBranch);
  const tree = new Map(
    Object.entries(files).map(([p, c]) => [p, typeof c === "string" ? Buffer.from(c) : c]),
  );
  const hash = createHash("sha1").update(`parent ${remote.refs.get(full) ?? ""}\0`);
  for (const path of [...tree.keys()].sort())
    hash.update(`${path}\0${gitBlobId(tree.get(path)!)}\0`);
  const id = hash.digest("hex");
  remote.commits.set(id, tree);
  remote.refs.set(full, id);
  return id;
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
    for (const name of [...local.keys()]) if (pullNumber(name) !== undefined) local.delete(name);
    for (const [name, id] of remote.refs) {
      if (name === main() || name === full || pullNumber(name) !== undefined) {
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

  return {
    kind: "memory",
    remote: remote.url,
    fetch,
    resolve: (ref, signal) => run(signal, () => resolveSync(ref)),
    refs: (signal) =>
      run(signal, (): GitRefs => {
        const pulls = [...local].flatMap(([ref, revision]) => {
          const number = pullNumber(ref);
          return number === undefined ? [] : [{ ref, revision, number }];
        });
        return {
          defaultBranch: { ref: main(), revision: resolveSync("default") },
          pulls: sortedPulls(pulls),
        };
      }),
    tree: (revision, signal) =>
      run(signal, (): GitTree => {
        const commit = resolveSync(revision);
        const files = remote.commits.get(commit) ?? new Map<string, Uint8Array>();
        const byId = new Map([...files.values()].map((b) => [gitBlobId(b), b]));
        return gitTree({
          revision: commit,
          description: `git:${remote.url}@${commit.slice(0, 12)}`,
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
      }),
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
