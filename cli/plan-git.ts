/** The plan's sides from Git: a branch or commit of the repo, and the revision that is applied. */
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { FileSource } from "../core/file-source.js";
import { isCommitId } from "../core/git-source.js";
import type { CliContext } from "./context.js";
import type { PlanOptions } from "./plan.js";
import { openStore, repoArg, statePath } from "./reconcile-run.js";

/** The files of `ref` (a branch, or a commit id) in the Git repo that `--repo` names. */
export async function gitTreeOf(
  ctx: CliContext,
  cmd: Command,
  ref: string,
): Promise<{ source: FileSource; revision: string; close(): Promise<void> }> {
  const { openRevision } = await import("../adapters/source/revision-source.js");
  const opts = cmd.optsWithGlobals<{ state?: string }>();
  const commit = isCommitId(ref);
  const revision = await openRevision(repoArg(ctx, cmd), {
    branch: commit ? "default" : ref,
    cwd: ctx.io.cwd ?? process.cwd(),
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
