import { describe, expect, test } from "vitest";
import type { PullRequestRef } from "../../core/forge.js";
import { PLAN_COMMENT_MARKER } from "../../reconciler/report/plan-comment.js";
import { memoryForge } from "./memory-forge.js";

const PR: PullRequestRef = {
  number: 3,
  headSha: "a".repeat(40),
  baseRef: "main",
  baseSha: "b".repeat(40),
};
const plan = (text: string) => `${PLAN_COMMENT_MARKER}\n${text}\n`;

describe("memory forge", () => {
  test("one plan comment per pull request: created, edited when changed, left when not", async () => {
    const f = memoryForge();
    f.addComment(3, "a person's comment");
    await f.upsertPlanComment(PR, plan("one"));
    await f.upsertPlanComment(PR, plan("one"));
    expect(f.writes).toBe(1);
    await f.upsertPlanComment(PR, plan("two"));
    expect(f.comments.get(3)!.map((c) => [c.body, c.edits])).toEqual([
      ["a person's comment", 0],
      [plan("two"), 1],
    ]);
    expect(f.writes).toBe(2);
  });

  test("a body without the marker gets it; statuses keep the newest per context, cut to 140", async () => {
    const f = memoryForge();
    await f.upsertPlanComment(PR, "no marker");
    expect(f.planComment(3)!.body).toBe(`${PLAN_COMMENT_MARKER}\nno marker`);
    await f.setStatus(PR.headSha, "lab/plan", "pending", "planning");
    await f.setStatus(PR.headSha, "lab/plan", "success", "x".repeat(200));
    expect(f.status(PR.headSha, "lab/plan")).toEqual({
      sha: PR.headSha,
      context: "lab/plan",
      state: "success",
      description: `${"x".repeat(139)}…`,
    });
  });
});
