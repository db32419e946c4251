/**
 * A pull request planned as it would land (docs/serve.md, "Pull requests"): its head merged onto
 * the base branch's current head, checked, and planned against that base head — so the comment
 * shows the pull request's own changes, never the base's. What the base has that is not applied
 * yet is said apart in one line. The comment is written only when its body changed (its hash is
 * kept with the pull request's record), and a `lab/plan` status carries the summary line.
 */
import { hasErrors } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import type { CommitState, Forge, PullRequestRef } from "../../core/forge.js";
import type { GitSource, PullHead } from "../../core/git-source.js";
import type { StateStore } from "../../core/state-store.js";
import { plan } from "../plan/plan.js";
import { planSide } from "../plan/plan-side.js";
import { readSecretTexts } from "../secrets/secret-texts.js";
import type { Plan, PlanSide } from "../plan/plan-types.js";
import type { KeyedCheck } from "../reconcile/one-pass.js";
import { diagnosticsComment, diagnosticsSummaryLine } from "../report/diagnostics-comment.js";
import {
  PLAN_COMMENT_MARKER,
  planComment,
  planSummaryLine,
  type FileUrl,
} from "../report/plan-comment.js";
import type { LoopLogger } from "./serve-loop.js";

export const PLAN_STATUS = "lab/plan";

export interface PullPlanDeps {
  git: GitSource;
  store: StateStore;
  forge: Forge | null;
  check: (source: FileSource, signal?: AbortSignal) => Promise<KeyedCheck>;
  fileUrl: FileUrl;
  log: LoopLogger;
  /**
   * The base sides planned lately, by commit (checked and rendered once for every pull request
   * planned against the same base head); the newest only.
   */
  bases?: Map<string, PlanSide | null>;
}

/** Base sides kept: the newest base head only (every open pull request is planned against it). */
const KEPT_BASES = 1;

/** The base head's side: checked and rendered, or taken from those planned lately. */
async function baseSideOf(
  deps: PullPlanDeps,
  base: string,
  signal?: AbortSignal,
): Promise<PlanSide | null> {
  const kept = deps.bases?.get(base);
  if (kept !== undefined) return kept;
  const tree = await deps.git.tree(base, signal);
  const checked = (await deps.check(tree, signal)).checked;
  const texts = checked.model ? await readSecretTexts(tree, signal) : undefined;
  const side = checked.model ? planSide(base, checked.repo, checked.model, texts) : null;
  if (deps.bases) {
    deps.bases.set(base, side);
    for (const key of deps.bases.keys()) {
      if (deps.bases.size <= KEPT_BASES) break;
      deps.bases.delete(key);
    }
  }
  return side;
}

/** What planning a pull request came to. */
export interface PullOutcome {
  number: number;
  result: "planned" | "invalid" | "conflict" | "gone";
  /** The status line (also the next revision's "previous" line). */
  summary: string;
  head?: string;
  base?: string;
  comment?: "created" | "updated" | "unchanged" | "none";
  plan?: Plan;
}

function conflictComment(
  pull: PullHead,
  base: string,
  conflicts: readonly string[],
  previous?: string,
): string {
  const lines = [
    PLAN_COMMENT_MARKER,
    "### lab plan: does not merge cleanly",
    "",
    `Head \`${pull.revision.slice(0, 12)}\` does not merge onto base \`${base.slice(0, 12)}\`: ` +
      `${conflicts.length} conflicting ${conflicts.length === 1 ? "file" : "files"}. Not planned; ` +
      "merge or rebase the base branch into this pull request.",
    "",
    ...conflicts.slice(0, 100).map((path) => `- \`${path.replace(/`/g, "'")}\``),
  ];
  if (previous)
    lines.push("", `<details><summary>Previous revision</summary>\n\n${previous}\n</details>`);
  return lines.join("\n") + "\n";
}

/** The base's head not yet applied, said apart (the comment shows this pull request only). */
async function baseNote(store: StateStore, base: string, signal?: AbortSignal): Promise<string[]> {
  const applied = await store.lastGoodRevision(undefined, signal);
  if (applied === base) return [];
  const now = applied ? `\`${applied.slice(0, 12)}\` is applied` : "nothing is applied yet";
  return [
    `The base's head \`${base.slice(0, 12)}\` is not applied yet (${now}); this plan shows only this pull request's changes against it.`,
  ];
}

async function post(
  deps: PullPlanDeps,
  pr: PullRequestRef,
  body: string,
  state: CommitState,
  summary: string,
  signal?: AbortSignal,
): Promise<{ action: PullOutcome["comment"]; id: string | null; hash: string | null }> {
  if (!deps.forge) return { action: "none", id: null, hash: null };
  const before = await deps.store.pullPlan(pr.number, signal);
  const known =
    before?.commentHash != null
      ? {
          hash: before.commentHash,
          ...(before.commentId != null ? { id: Number(before.commentId) } : {}),
        }
      : undefined;
  const written = await deps.forge.ensurePlanComment(pr, body, {
    ...(known ? { known } : {}),
    ...(signal ? { signal } : {}),
  });
  await deps.forge.setStatus(pr.headSha, PLAN_STATUS, state, summary, signal);
  return {
    action: written.action,
    id: written.id === undefined ? null : String(written.id),
    hash: written.hash,
  };
}

/** Plans pull request `number` from the local copy (the caller fetched it). */
export async function planPull(
  deps: PullPlanDeps,
  number: number,
  signal?: AbortSignal,
): Promise<PullOutcome> {
  const { git, store } = deps;
  const refs = await git.refs(signal);
  const pull = refs.pulls.find((p) => p.number === number);
  if (!pull) {
    await store.forgetPull(number, signal);
    return { number, result: "gone", summary: `pull request ${number} is gone` };
  }
  const base = refs.defaultBranch.revision;
  const previous = (await store.pullPlan(number, signal))?.summary;
  const pr: PullRequestRef = {
    number,
    headSha: pull.revision,
    baseRef: refs.defaultBranch.ref,
    baseSha: base,
  };
  const record = async (
    outcome: PullOutcome,
    written: Awaited<ReturnType<typeof post>>,
    mergeSha: string | null,
  ): Promise<PullOutcome> => {
    await store.recordPullPlan(
      number,
      {
        headSha: pull.revision,
        baseSha: base,
        mergeSha,
        summary: outcome.summary,
        plan: outcome.plan ?? null,
        commentId: written.id,
        commentHash: written.hash,
      },
      signal,
    );
    deps.log.info(
      { pull: number, head: pull.revision, base, result: outcome.result, comment: written.action },
      "pull request planned",
    );
    return { ...outcome, comment: written.action };
  };
  const merged = await git.merge(base, pull.revision, signal);
  if (!merged.clean) {
    const summary = `${pull.revision.slice(0, 12)}: does not merge cleanly (${merged.conflicts.length} conflicting files)`;
    const body = conflictComment(pull, base, merged.conflicts, previous);
    const written = await post(deps, pr, body, "failure", summary, signal);
    return record(
      { number, result: "conflict", summary, head: pull.revision, base },
      written,
      null,
    );
  }
  const head = await deps.check(merged.tree, signal);
  const options = { fileUrl: deps.fileUrl, ...(previous ? { previousSummary: previous } : {}) };
  if (!head.checked.model || hasErrors(head.checked.diagnostics)) {
    const { diagnostics } = head.checked;
    const summary = diagnosticsSummaryLine(pull.revision, diagnostics);
    const body = diagnosticsComment(diagnostics, { ...options, head: pull.revision });
    const written = await post(deps, pr, body, "failure", summary, signal);
    const outcome = { number, result: "invalid" as const, summary, head: pull.revision, base };
    return record(outcome, written, merged.tree.revision);
  }
  const texts = await readSecretTexts(merged.tree, signal);
  const headSide = planSide(pull.revision, head.checked.repo, head.checked.model, texts);
  const thePlan = plan({
    head: headSide,
    base: await baseSideOf(deps, base, signal),
    applied: null,
  });
  const summary = planSummaryLine(thePlan);
  const notes = await baseNote(store, base, signal);
  const body = planComment(thePlan, { ...options, notes });
  const written = await post(deps, pr, body, "success", summary, signal);
  const outcome = { number, result: "planned" as const, summary, head: pull.revision, base };
  return record({ ...outcome, plan: thePlan }, written, merged.tree.revision);
}
