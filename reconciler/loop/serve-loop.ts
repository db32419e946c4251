/**
 * What `lab serve` does with each work item (docs/serve.md): the default branch is fetched,
 * applied and recorded, and then every open pull request is planned again against the new base;
 * a pull request is fetched and planned as it would land (pull-plan.ts), never applied; a closed
 * one is forgotten, and a merged one gets the result of the apply that follows. Composes the
 * contracts only: the Git source, the state store, the forge and one pass come in as arguments.
 */
import type { CommitState } from "../../core/forge.js";
import type { GitSource } from "../../core/git-source.js";
import type { BranchWork, PullWork, WorkHandler, WorkItem } from "../../core/loop.js";
import type { StateStore } from "../../core/state-store.js";
import type { PassResult } from "../reconcile/one-pass.js";
import { PLAN_COMMENT_MARKER } from "../report/plan-comment.js";
import { planPull, type PullOutcome, type PullPlanDeps } from "./pull-plan.js";

export const APPLY_STATUS = "lab/apply";

/** The part of a pino logger the loop uses: a static message, data as fields. */
export interface LoopLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface LoopDeps extends PullPlanDeps {
  /** One reconcile pass over a commit of the default branch. */
  apply(revision: string, trigger: string, signal: AbortSignal): Promise<PassResult>;
  /** Queues more work (pull requests planned again when their base moved). */
  enqueue(item: WorkItem): Promise<void>;
  /** Told after each item, for metrics and tests. */
  onDone?: (item: WorkItem, outcome: LoopOutcome) => void;
}

export type LoopOutcome =
  | { kind: "applied"; pass: PassResult }
  | { kind: "ignored"; reason: string }
  | { kind: "planned"; pull: PullOutcome }
  | { kind: "closed"; number: number };

function shortRef(ref: string): string {
  return ref.replace(/^refs\/heads\//, "");
}

function applyState(pass: PassResult): { state: CommitState; text: string } {
  if (pass.result === "invalid") {
    return {
      state: "failure",
      text: `not applied: the revision has errors (last good ${pass.lastGood?.slice(0, 12) ?? "none"})`,
    };
  }
  const failed = pass.targets.filter((t) => t.status === "failed").map((t) => t.name);
  if (failed.length) return { state: "failure", text: `apply failed: ${failed.join(", ")}` };
  const applied = pass.targets.filter((t) => t.status === "applied").map((t) => t.name);
  return {
    state: "success",
    text: applied.length ? `applied: ${applied.join(", ")}` : "applied: nothing changed",
  };
}

/** The merged pull request's comment after the apply: the result, and the plan it carried. */
function appliedComment(pass: PassResult, state: CommitState, text: string, plan?: string): string {
  const title = state === "success" ? "applied" : "not applied";
  const lines = [
    PLAN_COMMENT_MARKER,
    `### lab apply: ${title}`,
    "",
    `Merged and reconciled at \`${pass.revision.slice(0, 12)}\`: ${text}.`,
  ];
  if (plan) lines.push("", `<details><summary>The plan</summary>\n\n${plan}\n</details>`);
  return lines.join("\n") + "\n";
}

/**
 * Tells the forge what the apply did: the commit's status, and each pull request merged before
 * this apply fetched (`before`: those merged while it ran wait for the apply their close queued).
 * The waiting list is the store's, so a restart or another replica loses none.
 */
async function tellForge(
  deps: LoopDeps,
  pass: PassResult,
  before: ReadonlySet<number>,
  signal: AbortSignal,
): Promise<void> {
  const { forge, log } = deps;
  if (!forge) return;
  const { state, text } = applyState(pass);
  try {
    await forge.setStatus(pass.revision, APPLY_STATUS, state, text, signal);
    for (const pull of await deps.store.mergedWaiting(signal)) {
      if (!before.has(pull.number)) continue;
      const pr = {
        number: pull.number,
        headSha: pull.headSha,
        baseRef: "",
        baseSha: pass.revision,
      };
      const planned = await deps.store.pullPlan(pull.number, signal);
      const body = appliedComment(pass, state, text, planned?.summary);
      await forge.ensurePlanComment(pr, body, { signal });
      await deps.store.mergeTold(pull.number, signal);
    }
  } catch (err) {
    // A forge that fails never fails the apply: the result is logged and the status is missing.
    log.warn({ revision: pass.revision, err: String(err) }, "forge not told of the apply");
  }
}

async function onBranch(
  deps: LoopDeps,
  item: BranchWork,
  signal: AbortSignal,
): Promise<LoopOutcome> {
  const before = new Set((await deps.store.mergedWaiting(signal)).map((m) => m.number));
  const fetched = await deps.git.fetch(item.branch, signal);
  const refs = await deps.git.refs(signal);
  if (fetched.ref !== refs.defaultBranch.ref) {
    const reason = `${shortRef(fetched.ref)} is not the default branch`;
    return { kind: "ignored", reason };
  }
  const pass = await deps.apply(fetched.revision, item.trigger, signal);
  deps.log.info(
    { revision: pass.revision, result: pass.result, run: pass.runId, trigger: item.trigger },
    "default branch reconciled",
  );
  await tellForge(deps, pass, before, signal);
  for (const number of await deps.store.openPulls(signal)) {
    await deps.enqueue({ kind: "pull", number, action: "refresh", trigger: "base-moved" });
  }
  return { kind: "applied", pass };
}

async function onPull(deps: LoopDeps, item: PullWork, signal: AbortSignal): Promise<LoopOutcome> {
  if (item.action === "closed") {
    await deps.store.forgetPull(item.number, signal);
    if (item.merged && item.headSha) {
      await deps.store.recordMerged(item.number, item.headSha, signal);
      await deps.enqueue({
        kind: "branch",
        branch: item.baseRef ?? "default",
        trigger: "pull_request",
      });
    }
    return { kind: "closed", number: item.number };
  }
  await deps.git.fetch("default", signal);
  return { kind: "planned", pull: await planPull(deps, item.number, signal) };
}

export function serveLoop(deps: LoopDeps): WorkHandler {
  deps.bases ??= new Map();
  return async (item, signal) => {
    const outcome =
      item.kind === "branch"
        ? await onBranch(deps, item, signal)
        : await onPull(deps, item, signal);
    deps.onDone?.(item, outcome);
  };
}

/** Every pull request the local copy knows whose head was not planned yet: work for the queue. */
export async function unplannedPulls(
  git: GitSource,
  store: StateStore,
  signal?: AbortSignal,
): Promise<PullWork[]> {
  const refs = await git.refs(signal);
  const out: PullWork[] = [];
  for (const pull of refs.pulls) {
    const known = await store.pullPlan(pull.number, signal);
    if (known?.headSha === pull.revision && known.baseSha === refs.defaultBranch.revision) continue;
    out.push({
      kind: "pull",
      number: pull.number,
      action: "refresh",
      headSha: pull.revision,
      trigger: "poll",
    });
  }
  return out;
}
