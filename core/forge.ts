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

export interface Forge {
  readonly name: string;
  /** Creates the pull request's plan comment, or edits the one lab wrote before. */
  upsertPlanComment(pr: PullRequestRef, body: string, signal?: AbortSignal): Promise<void>;
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
