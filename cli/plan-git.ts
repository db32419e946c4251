/** The plan's sides from Git: a branch or commit of the repo, and the revision that is applied. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { FileSource } from "../core/file-source.js";
import { isCommitId } from "../core/git-source.js";
import type { CliContext } from "./context.js";
import type { PlanOptions } from "./plan.js";
import { openStore, repoArg, statePath } from "./reconcile-run.js";

/**
 * `ref` as a commit id when `dir` is a local Git repo where `ref` is a revision but not a branch
 * name: HEAD, HEAD~1, a tag, an abbreviated id, origin/main. A branch keeps its meaning (the
 * branch of the remote); anything else, or no local repo, gives null.
 */
async function localCommit(dir: string, ref: string): Promise<string | null> {
  if (!existsSync(dir) || ref.startsWith("-")) return null;
  const { runGit } = await import("../adapters/git/native-run.js");
  const git = (...args: string[]) =>
    runGit(["-C", dir, ...args]).then(
      (out) => out.toString("utf8").trim(),
      () => null,
    );
  if (await git("rev-parse", "--verify", "--quiet", `refs/heads/${ref}`)) return null;
  const id = await git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
  return id && isCommitId(id) ? id : null;
}

/** The files of `ref` (a branch, a commit id, or a revision of the local repo: HEAD~1) in the Git repo that `--repo` names. */
export async function gitTreeOf(
  ctx: CliContext,
  cmd: Command,
  ref: string,
): Promise<{ source: FileSource; revision: string; close(): Promise<void> }> {
  const { openRevision } = await import("../adapters/source/revision-source.js");
  const opts = cmd.optsWithGlobals<{ state?: string }>();
  const cwd = ctx.io.cwd ?? process.cwd();
  const local = isCommitId(ref) ? null : await localCommit(resolve(cwd, repoArg(ctx, cmd)), ref);
  if (local) ref = local;
  const commit = isCommitId(ref);
  const revision = await openRevision(repoArg(ctx, cmd), {
    branch: commit ? "default" : ref,
    cwd,
    stateDir: dirname(statePath(ctx, opts)),
    env: ctx.io.env,
  });
  if (revision.revision.startsWith("content:")) {
    await revision.close();
    throw new UsageError(
      `"${ref}" is not a folder, and the repo is not in a Git repo to read it from`,
    );
  }
  if (!commit) return revision;
  const source = await revision.treeAt(ref);
  if (!source) throw new UsageError(`the repo has no commit ${ref}`);
  return { source, revision: ref, close: () => revision.close() };
}

/**
 * The commit the state store records as applied (the newest run that applied or found nothing
 * to do), or null: no store yet, or what was applied was a folder, not a commit.
 */
export async function appliedRevision(
  ctx: CliContext,
  _cmd: Command,
  opts: PlanOptions,
): Promise<string | null> {
  if (!ctx.io.env.LAB_DATABASE_URL && !existsSync(statePath(ctx, opts))) return null;
  const store = await openStore(ctx, opts);
  try {
    const revision = await store.lastGoodRevision();
    return revision && isCommitId(revision) ? revision : null;
  } finally {
    await store.close();
  }
}
