/**
 * A forge in memory (docs/forge.md): the pull requests' comments and the commits' statuses kept
 * in maps, with the GitHub forge's rules — one plan comment found by its marker, edited only
 * when its body changed, descriptions cut to 140 characters. For tests and dry runs; registered
 * in FORGES as "memory".
 */
import type {
  CommitState,
  Forge,
  KnownComment,
  PlanCommentResult,
  PullRequestRef,
} from "../../core/forge.js";
import { FORGES } from "../../core/forge.js";
import {
  commentHash,
  markedBody,
  PLAN_COMMENT_MARKER,
} from "../../reconciler/report/plan-comment.js";
import { statusDescription } from "./status.js";

export interface MemoryComment {
  id: number;
  body: string;
  /** How many times it was edited. */
  edits: number;
}

export interface MemoryStatus {
  sha: string;
  context: string;
  state: CommitState;
  description: string;
}

export class MemoryForge implements Forge {
  readonly name = "memory";
  /** Comments by pull request number, oldest first. */
  readonly comments = new Map<number, MemoryComment[]>();
  /** Every status set, in order (GitHub keeps them all; the newest per context counts). */
  readonly statuses: MemoryStatus[] = [];
  /** Writes made: a run with no change adds none. */
  writes = 0;
  #nextId = 1;

  /** A comment someone else wrote (to test that lab finds only its own). */
  addComment(pr: number, body: string): MemoryComment {
    const c = { id: this.#nextId++, body, edits: 0 };
    this.comments.set(pr, [...(this.comments.get(pr) ?? []), c]);
    return c;
  }

  planComment(pr: number): MemoryComment | undefined {
    const mine = (this.comments.get(pr) ?? []).filter((c) =>
      c.body.startsWith(PLAN_COMMENT_MARKER),
    );
    return mine.at(-1);
  }

  ensurePlanComment(
    pr: PullRequestRef,
    text: string,
    options: { known?: KnownComment; signal?: AbortSignal } = {},
  ): Promise<PlanCommentResult> {
    options.signal?.throwIfAborted();
    const body = markedBody(text);
    const hash = commentHash(body);
    if (options.known?.hash === hash) {
      return Promise.resolve({ action: "unchanged", id: options.known.id, hash });
    }
    const existing = this.planComment(pr.number);
    if (!existing) {
      const made = this.addComment(pr.number, body);
      this.writes += 1;
      return Promise.resolve({ action: "created", id: made.id, hash });
    }
    if (commentHash(existing.body) === hash) {
      return Promise.resolve({ action: "unchanged", id: existing.id, hash });
    }
    existing.body = body;
    existing.edits += 1;
    this.writes += 1;
    return Promise.resolve({ action: "updated", id: existing.id, hash });
  }

  async upsertPlanComment(pr: PullRequestRef, text: string, signal?: AbortSignal): Promise<void> {
    await this.ensurePlanComment(pr, text, signal ? { signal } : {});
  }

  setStatus(
    sha: string,
    context: string,
    state: CommitState,
    description: string,
    signal?: AbortSignal,
  ): Promise<void> {
    signal?.throwIfAborted();
    this.statuses.push({ sha, context, state, description: statusDescription(description) });
    this.writes += 1;
    return Promise.resolve();
  }

  /** The newest status of `sha` in `context`, as GitHub shows it. */
  status(sha: string, context: string): MemoryStatus | undefined {
    return this.statuses.filter((s) => s.sha === sha && s.context === context).at(-1);
  }
}

export function memoryForge(): MemoryForge {
  return new MemoryForge();
}

FORGES.set("memory", () => memoryForge());
