/** A merge through isomorphic-git in a bare mirror: no work tree, no index, no ref moves. */
import * as fs from "node:fs";
import * as git from "isomorphic-git";
import { GitError } from "../../core/git-source.js";

/** A fixed author: the merge commit isomorphic-git writes is never published. */
const AUTHOR = { name: "lab", email: "lab@localhost", timestamp: 0, timezoneOffset: 0 };

/**
 * The root tree id of `head` merged onto `base` (commit ids) in the repository at `gitdir`, or
 * the conflicting paths. isomorphic-git writes the merged blobs, trees and a merge commit into
 * the repository (`noUpdateBranch`: no ref points at them). A merge it does not handle (several
 * merge bases, a file against a folder) is a GitError "unsupported".
 */
export async function isoMergeTree(
  gitdir: string,
  base: string,
  head: string,
  cache: object,
  remote: string,
): Promise<string | { conflicts: string[] }> {
  try {
    const result = await git.merge({
      fs,
      gitdir,
      ours: base,
      theirs: head,
      fastForward: true,
      noUpdateBranch: true,
      abortOnConflict: true,
      author: AUTHOR,
      cache,
    });
    if (result.tree) return result.tree;
    // A fast-forward (or a head already merged): the tree of the commit it lands on.
    const oid = result.oid ?? base;
    return (await git.readCommit({ fs, gitdir, oid, cache })).commit.tree;
  } catch (e) {
    if (e instanceof git.Errors.MergeConflictError) return { conflicts: e.data.filepaths };
    if (e instanceof git.Errors.MergeNotSupportedError) {
      throw new GitError(
        `cannot merge ${head.slice(0, 12)} onto ${base.slice(0, 12)} with isomorphic-git (no ` +
          "single merge base, or a conflict it does not handle); install git",
        { reason: "unsupported", remote },
        { cause: e },
      );
    }
    throw e;
  }
}
