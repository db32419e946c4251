/**
 * The forge contract (docs/architecture.md, "Plugin contracts"): where pull requests live and
 * how lab answers on them — one plan comment per pull request, edited in place, and a commit
 * status. Typed now so the reconciler's seams are fixed; the GitHub adapter fills the registry.
 */

/** A pull request as the reconciler plans it: its head, and the base it would merge onto. */
export interface PullRequestRef {
  readonly number: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string;
}

export type CommitState = "pending" | "success" | "failure" | "error";

/** What the caller knows of the plan comment from a previous run, to skip reading it again. */
export interface KnownComment {
  /** `commentHash` of the body last written. */
  hash: string;
  id?: number;
}

export interface PlanCommentResult {
  action: "created" | "updated" | "unchanged";
  id: number | undefined;
  hash: string;
}

export interface Forge {
  readonly name: string;
  /**
   * Creates the pull request's plan comment, or edits the one lab wrote before — only when its
   * body changed; with `known` (the hash and id written last time), an unchanged body costs no
   * request at all.
   */
  ensurePlanComment(
    pr: PullRequestRef,
    body: string,
    options?: { known?: KnownComment; signal?: AbortSignal },
  ): Promise<PlanCommentResult>;
  /** Sets a commit status such as `lab/plan` or `lab/apply`. */
  setStatus(
    sha: string,
    context: string,
    state: CommitState,
    description: string,
    signal?: AbortSignal,
  ): Promise<void>;
}

/** The forges by name, filled entry by entry by the adapters that implement them. */
export const FORGES = new Map<string, (options?: unknown) => Forge>();
