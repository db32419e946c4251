/** A fetch retried with backoff, its last failure made a GitError: shared by both implementations. */
import { LabError } from "../../core/errors.js";
import type { GitRevision, RetryOptions } from "../../core/git-source.js";
import type { Failure } from "./classify.js";
import { remoteError, type FailureContext } from "./remote-error.js";
import { RetryFailure, withRetry, type Verdict } from "./retry.js";

export interface RetriedFetch {
  once: (ref: string, signal?: AbortSignal) => Promise<GitRevision>;
  /** Whether a failure is worth another try. */
  verdict: (error: unknown) => Verdict;
  /** What the failure was, in lab's terms. */
  classify: (error: unknown) => Failure;
  /** The rest of the error's context: the remote, the ref, the last fetched revision. */
  context: (ref: string) => Promise<Omit<FailureContext, "tries" | "cause">>;
  retry?: RetryOptions;
}

export async function retriedFetch(
  ref: string,
  parts: RetriedFetch,
  signal?: AbortSignal,
): Promise<GitRevision> {
  try {
    return await withRetry((s) => parts.once(ref, s), parts.verdict, parts.retry, signal);
  } catch (e) {
    if (!(e instanceof RetryFailure)) throw e;
    // Errors of lab's own (a GitError, a usage error, git missing) pass through as they are.
    if (e.error instanceof LabError) throw e.error;
    const context = await parts.context(ref);
    throw remoteError(parts.classify(e.error), { ...context, tries: e.tries, cause: e.error });
  }
}
