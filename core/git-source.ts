/**
 * The Git source contract: where lab takes a config repo's revisions from. An implementation keeps
 * a local copy of the remote (a mirror), fetches the default branch and the pull-request heads
 * (`refs/pull/N/head`), and hands out any fetched commit's tree as a FileSource, read without a
 * checkout. Implementations: `native` (the git binary), `isomorphic` (isomorphic-git, for hosts
 * without git) and `memory` (commits held in memory, for tests and dry runs).
 */
import { createHash } from "node:crypto";
import { LabError } from "./errors.js";
import type { FileSource } from "./file-source.js";

export const GIT_SOURCE_KINDS = ["native", "isomorphic", "memory"] as const;
export type GitSourceKind = (typeof GIT_SOURCE_KINDS)[number];

/** A ref and the commit it pointed to when it was fetched. */
export interface GitRevision {
  /** The full ref name: `refs/heads/main`, `refs/pull/7/head`. */
  ref: string;
  /** The commit id (hex). */
  revision: string;
}

export interface PullHead extends GitRevision {
  /** The pull request's number: 7 for `refs/pull/7/head`. */
  number: number;
  /**
   * The commit of `refs/pull/N/merge` when the remote publishes one (GitHub does): the head merged
   * onto the base as the forge last computed it. It may be stale; `merge()` checks its parents.
   */
  merge?: string;
}

/** What the local copy holds: the default branch and the pull-request heads, by number. */
export interface GitRefs {
  defaultBranch: GitRevision;
  pulls: PullHead[];
}

/** A commit's tree as a FileSource: `list()` gives sizes and blob ids, `read()` the bytes. */
export interface GitTree extends FileSource {
  /**
   * What the tree is: a commit id, or `merge:<base>..<head>` (see `mergeRevision`) for a merge
   * computed in the local copy, which has no commit of its own.
   */
  readonly revision: string;
}

/**
 * A pull request as it would land: `head` merged onto `base` (both commit ids). Clean: the merged
 * tree. Not clean: the paths that conflict, sorted.
 */
export type MergeResult =
  | { clean: true; tree: GitTree; base: string; head: string }
  | { clean: false; conflicts: string[]; base: string; head: string };

export interface GitSource {
  readonly kind: GitSourceKind;
  /** The remote for messages, without credentials. */
  readonly remote: string;
  /**
   * Brings the local copy up to date with the remote (default branch and every `refs/pull/N/head`,
   * plus `ref` if it is another branch) and returns where `ref` points. `ref` is "default", a
   * branch name or a full ref. Rejects with a GitError carrying the last fetched revision when the
   * remote cannot be reached after the retries.
   */
  fetch(ref: string, signal?: AbortSignal): Promise<GitRevision>;
  /** The commit a ref or a commit id names in the local copy (no network). */
  resolve(ref: string, signal?: AbortSignal): Promise<string>;
  /** The default branch and the pull-request heads in the local copy (no network). */
  refs(signal?: AbortSignal): Promise<GitRefs>;
  /** The tree of a fetched commit (no network, no checkout); works while the remote is down. */
  tree(revision: string, signal?: AbortSignal): Promise<GitTree>;
  /**
   * `head` merged onto `base` (refs or commit ids, both fetched), without a work tree and without
   * network. A fetched `refs/pull/N/merge` whose parents are exactly `base` and `head` is used as
   * it is (its tree's revision is that commit); otherwise the merge is computed in the local copy
   * (revision `merge:<base>..<head>`). A head already in the base gives the base's tree, a base
   * already in the head the head's. Rejects with a GitError "unsupported" where it cannot merge.
   */
  merge(base: string, head: string, signal?: AbortSignal): Promise<MergeResult>;
  /**
   * What the last successful fetch of `ref` (default: the default branch) returned, if any; it
   * stays after a failed fetch, which also looks it up in a local copy left by an earlier run.
   */
  lastFetched(ref?: string): GitRevision | undefined;
  /** Ends the processes the source keeps (e.g. `git cat-file --batch`). */
  close(): Promise<void>;
}

/** Retry of remote operations: exponential backoff with jitter, bounded. */
export interface RetryOptions {
  /** Tries in all, the first included (default 4). */
  tries?: number;
  /** The delay before the second try, ms (default 200); doubles each time. */
  baseMs?: number;
  /** The longest delay, ms (default 3000). */
  maxMs?: number;
  /** Waits `ms`; rejects when `signal` aborts. Injectable so tests do not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
}

export interface GitSourceOptions {
  /** The folder of the local copy (default `~/.lab/git/<hash of the URL>`). */
  cache?: string;
  /** A token for http(s) remotes, sent as `Authorization: Bearer`; default `LAB_GIT_TOKEN`. */
  token?: string;
  /** The default branch's name; asked of the remote (its HEAD) when absent. */
  defaultBranch?: string;
  retry?: RetryOptions;
}

/** What went wrong with a remote or a revision; match on `reason`, never on the message. */
export type GitErrorReason =
  "unreachable" | "unauthorized" | "not-a-repo" | "missing-revision" | "unsupported" | "failed";

export interface GitErrorDetails {
  reason: GitErrorReason;
  /** The remote, without credentials. */
  remote: string;
  /** How many times the operation was tried. */
  tries?: number;
  /** The revision asked for, when one is missing. */
  wanted?: string;
  /** The last fetched revision, still readable with `tree()`. */
  lastFetched?: GitRevision | undefined;
}

/** A remote that fails or a revision that is missing (code "GIT"). */
export class GitError extends LabError {
  readonly reason: GitErrorReason;
  readonly remote: string;
  readonly tries: number;
  readonly wanted: string | undefined;
  readonly lastFetched: GitRevision | undefined;
  /** What went wrong, without the mention of the last fetched revision the message ends with. */
  readonly failure: string;
  constructor(message: string, details: GitErrorDetails, options?: { cause?: unknown }) {
    const last = details.lastFetched;
    const tail = last
      ? `; using the last fetched revision ${last.revision.slice(0, 12)} of ${shortRef(last.ref)}`
      : "";
    super("GIT", message + tail, options);
    this.name = "GitError";
    this.reason = details.reason;
    this.remote = details.remote;
    this.tries = details.tries ?? 1;
    this.wanted = details.wanted;
    this.lastFetched = last;
    this.failure = message;
  }
}

/** `main` for `refs/heads/main`; other refs as they are. */
export function shortRef(ref: string): string {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
}

/** Git's blob id of `bytes`: sha1 of `blob <size>\0` followed by the bytes, hex. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The pull request number of `refs/pull/N/head`, else undefined. */
export function pullNumber(ref: string): number | undefined {
  const m = /^refs\/pull\/([1-9][0-9]{0,9})\/head$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

/** The pull request number of `refs/pull/N/merge` (the forge's merge commit), else undefined. */
export function pullMergeNumber(ref: string): number | undefined {
  const m = /^refs\/pull\/([1-9][0-9]{0,9})\/merge$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

/** The revision of a merge computed in the local copy: `merge:<base>..<head>`. */
export function mergeRevision(base: string, head: string): string {
  return `merge:${base}..${head}`;
}

/**
 * The pull heads of `refs/pull/N/head` refs, each with its `refs/pull/N/merge` commit when there
 * is one, sorted by number. `refs` is every `refs/pull/...` ref as [name, commit id].
 */
export function pullHeads(refs: Iterable<readonly [string, string]>): PullHead[] {
  const merges = new Map<number, string>();
  const heads: PullHead[] = [];
  for (const [ref, revision] of refs) {
    const merge = pullMergeNumber(ref);
    if (merge !== undefined) merges.set(merge, revision);
    const number = pullNumber(ref);
    if (number !== undefined) heads.push({ ref, revision, number });
  }
  for (const head of heads) {
    const merge = merges.get(head.number);
    if (merge !== undefined) head.merge = merge;
  }
  return sortedPulls(heads);
}

/**
 * The forge's merge commit of the pull request whose head is `head`, when it is current: its
 * parents are exactly `base` then `head`. `parents` reads a commit's parents.
 */
export async function freshPullMerge(
  pulls: readonly PullHead[],
  base: string,
  head: string,
  parents: (commit: string) => Promise<string[]>,
): Promise<string | undefined> {
  for (const pull of pulls) {
    if (pull.revision !== head || pull.merge === undefined) continue;
    const found = await parents(pull.merge);
    if (found.length === 2 && found[0] === base && found[1] === head) return pull.merge;
  }
  return undefined;
}

const REF_PART = /^(?![.-])(?!.*\.\.)(?!.*\.lock$)[A-Za-z0-9._+-]+$/;

/**
 * The full ref `ref` names: "default" → the default branch, `main` → `refs/heads/main`,
 * `refs/...` as it is. Rejects names git would refuse or that could be read as an option.
 */
export function fullRef(ref: string, defaultBranch: string): string {
  const full =
    ref === "default"
      ? `refs/heads/${defaultBranch}`
      : ref.startsWith("refs/")
        ? ref
        : `refs/heads/${ref}`;
  const parts = full.split("/");
  if (parts.length < 3 || !parts.every((p) => REF_PART.test(p))) {
    throw new LabError("USAGE", `"${ref}" is not a valid git ref name`);
  }
  return full;
}

/** A full commit id (sha1 or sha256, hex). */
export function isCommitId(text: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(text);
}

/** Pull heads sorted by number: the order `refs()` gives them in. */
export function sortedPulls(pulls: readonly PullHead[]): PullHead[] {
  return [...pulls].sort((a, b) => a.number - b.number);
}
