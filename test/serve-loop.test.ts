/**
 * The serve loop's bookkeeping across restarts and replicas: a merged pull request waits in the
 * state store for the apply that brings its change, so the server that applies it — after a
 * restart, or another replica — tells it the result. The Git remote and the forge are lab's own
 * memory implementations (no network here); the passes are real reconcile passes writing real
 * outputs to a temporary directory.
 */
import { afterEach, describe, expect, it } from "vitest";
import { memoryForge } from "../adapters/forge/memory-forge.js";
import { commitTo, memoryGitSource, memoryRemote } from "../adapters/git/memory-git-source.js";
import { outputTargets } from "../adapters/output/outputs.js";
import { createMemoryStateStore } from "../core/state-store.js";
import type { WorkItem } from "../core/loop.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { serveLoop } from "../reconciler/loop/serve-loop.js";
import { reconcileOnce } from "../reconciler/reconcile/one-pass.js";
import { PLAN_COMMENT_MARKER } from "../reconciler/report/plan-comment.js";
import { SMALL_REPO } from "./cli-harness.js";
import { tempDir } from "./example-repo.js";

const quiet = { info() {}, warn() {}, error() {} };
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

function world() {
  const remote = memoryRemote();
  const store = createMemoryStateStore();
  const forge = memoryForge();
  const out = tempDir();
  const queued: WorkItem[] = [];
  const hooks: { duringApply?: () => Promise<void> } = {};
  /** One lab serve process: its own Git copy and loop over the shared remote, store and forge. */
  const server = () => {
    const git = memoryGitSource(remote);
    closing.push(() => git.close());
    const handle = serveLoop({
      git,
      store,
      forge,
      check: async (source) => ({ checked: await checkRepo(source), key: null }),
      fileUrl: (path, line, revision) => `https://example.org/${revision}/${path}#L${line}`,
      log: quiet,
      enqueue: (item) => Promise.resolve(void queued.push(item)),
      apply: async (revision, trigger, signal) => {
        await hooks.duringApply?.();
        return reconcileOnce({
          source: await git.tree(revision, signal),
          revision,
          store,
          outputs: (settings) => outputTargets(settings, out),
          treeAt: (r) => git.tree(r, signal),
          holder: "test",
          trigger,
          signal,
        });
      },
    });
    return (item: WorkItem) => handle(item, new AbortController().signal);
  };
  return { remote, store, forge, queued, hooks, server };
}

describe("merged pull requests wait in the store", () => {
  it("a restart between the merge and the apply: the next server tells the pull request", async () => {
    const w = world();
    const first = commitTo(w.remote, "main", SMALL_REPO);
    const one = w.server();
    await one({ kind: "branch", branch: "main", trigger: "poll" });
    const files = { ...SMALL_REPO, "lab.yaml": "lab:\n  name: merged\n" };
    const head = commitTo(w.remote, "refs/pull/5/head", files, [first]);
    await one({
      kind: "pull",
      number: 5,
      action: "opened",
      headSha: head,
      trigger: "pull_request",
    });
    expect(w.forge.comments.get(5)).toHaveLength(1);
    // Merged on the forge; the close is handled, then the server stops before the apply.
    commitTo(w.remote, "main", files);
    const close = { kind: "pull", number: 5, action: "closed", merged: true, headSha: head };
    await one({ ...close, baseRef: "main", trigger: "pull_request" } as WorkItem);
    expect(w.queued.map((i) => i.kind)).toEqual(["branch"]);
    expect((await w.store.mergedWaiting()).map((m) => [m.number, m.headSha])).toEqual([[5, head]]);

    const two = w.server(); // a new process: nothing of the first in memory
    await two(w.queued.shift()!);
    const comments = w.forge.comments.get(5)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(comments[0]!.body).toContain("lab apply: applied");
    expect(await w.store.mergedWaiting()).toEqual([]);
    // The next apply does not tell it again.
    commitTo(w.remote, "main", { ...files, "lab.yaml": "lab:\n  name: later\n" });
    const before = comments[0]!.body;
    await two({ kind: "branch", branch: "main", trigger: "poll" });
    expect(w.forge.comments.get(5)![0]!.body).toBe(before);
  });

  it("merged while an apply runs: told by the apply its close queued, not the one running", async () => {
    const w = world();
    const first = commitTo(w.remote, "main", SMALL_REPO);
    const one = w.server();
    await one({ kind: "branch", branch: "main", trigger: "poll" });
    const files = { ...SMALL_REPO, "lab.yaml": "lab:\n  name: merged\n" };
    const head = commitTo(w.remote, "refs/pull/6/head", files, [first]);
    await one({
      kind: "pull",
      number: 6,
      action: "opened",
      headSha: head,
      trigger: "pull_request",
    });
    const planned = w.forge.comments.get(6)![0]!.body;
    // The merge lands while an apply of the commit before it runs (another replica's close).
    commitTo(w.remote, "main", { ...SMALL_REPO, "lab.yaml": "lab:\n  name: other\n" });
    w.hooks.duringApply = async () => {
      w.hooks.duringApply = undefined;
      await w.store.recordMerged(6, head);
    };
    await one({ kind: "branch", branch: "main", trigger: "poll" });
    expect((await w.store.mergedWaiting()).map((m) => m.number)).toEqual([6]);
    expect(w.forge.comments.get(6)![0]!.body).toBe(planned);
    commitTo(w.remote, "main", files);
    await one({ kind: "branch", branch: "main", trigger: "pull_request" });
    expect(w.forge.comments.get(6)![0]!.body).toContain("lab apply: applied");
    expect(await w.store.mergedWaiting()).toEqual([]);
  });
});
