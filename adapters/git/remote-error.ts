/** The GitError a failed fetch becomes: what happened, to which remote, after how many tries. */
import type { GitRevision } from "../../core/git-source.js";
import { GitError, shortRef } from "../../core/git-source.js";
import type { Failure } from "./classify.js";

export interface FailureContext {
  /** The remote, without credentials. */
  remote: string;
  /** The ref that was asked for (full name). */
  ref: string;
  tries: number;
  /** Whether a token was sent. */
  token: boolean;
  lastFetched: GitRevision | undefined;
  cause: unknown;
}

function triesText(n: number): string {
  return n === 1 ? "1 try" : `${n} tries`;
}

function messageOf(failure: Failure, c: FailureContext): string {
  switch (failure.reason) {
    case "unreachable":
      return `the remote ${c.remote} is not answering (${failure.words}) after ${triesText(c.tries)}`;
    case "unauthorized":
      return c.token
        ? `the remote ${c.remote} refused the token in LAB_GIT_TOKEN (${failure.words})`
        : `the remote ${c.remote} asks for credentials (${failure.words}): set LAB_GIT_TOKEN ` +
            `(sent as a bearer token) or configure a git credential helper`;
    case "not-a-repo":
      return `there is no git repository at ${c.remote} (${failure.words})`;
    case "missing-revision":
      return `the remote ${c.remote} has no ${shortRef(c.ref)}`;
    case "unsupported":
      return `the remote ${c.remote} cannot be read here: ${failure.words}`;
    case "failed":
      return `fetching ${shortRef(c.ref)} from ${c.remote} failed: ${failure.words}`;
  }
}

export function remoteError(failure: Failure, c: FailureContext): GitError {
  return new GitError(
    messageOf(failure, c),
    {
      reason: failure.reason,
      remote: c.remote,
      tries: c.tries,
      wanted: c.ref,
      lastFetched: c.lastFetched,
    },
    { cause: c.cause },
  );
}

/** A revision the local copy does not hold. */
export function missingRevision(remote: string, wanted: string): GitError {
  return new GitError(
    `the revision ${wanted} is not in the local copy of ${remote} (not fetched, or it does not exist)`,
    { reason: "missing-revision", remote, wanted },
  );
}
