/**
 * The loop of `lab serve` in one process, as the server runs it (reconciler/loop/serve-loop.ts):
 * the generated repo is the remote, the state is SQLite with the persistent cache in the run's
 * state directory, the forge is the memory forge (no HTTP: the webhook's own cost is a few ms and
 * GitHub's latency is not ours). Each run starts empty and times: the first apply of the default
 * branch (cold), a one-label commit applied by the warm server (onefile), a pull request's plan
 * comment from the moment its work is taken (pull), and its second revision (pull2, the comment
 * edited). Parts in ms; onefile.* the one-label pass by stage.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { WorkItem } from "../core/loop.js";
import { memoryForge } from "../adapters/forge/memory-forge.js";
import { checkRepoCached, renderedSetStore } from "../adapters/cache/cached-check.js";
import { openDiskCache } from "../adapters/cache/disk-cache.js";
import { gitSource } from "../adapters/git/registry.js";
import { codeId } from "../adapters/output/code-id.js";
import { outputTargets } from "../adapters/output/outputs.js";
import { openStateStore } from "../adapters/state/open-state-store.js";
import { serveLoop } from "../reconciler/loop/serve-loop.js";
import { reconcileOnce, type PassResult } from "../reconciler/reconcile/one-pass.js";
import { COMMIT_ENV } from "./git.js";
import { reconcileStage } from "./reconcile.js";
import type { Parts, Stage } from "./stages.js";

const run = promisify(execFile);
const quiet = { info() {}, warn() {}, error() {} };
let edits = 0;

interface Input {
  dir: string;
  labels: string;
}

/** Commits one more class on the first label (on main, or as a pull request's head at `ref`). */
export async function commitLabel(dir: string, labels: string, ref?: string): Promise<string> {
  const git = (...args: string[]) => run("git", ["-C", dir, ...args], { env: COMMIT_ENV });
  const text = await readFile(labels, "utf8");
  await writeFile(labels, text.replace("puppet_classes: [", `puppet_classes: [bench_${++edits}, `));
  await git("commit", "--quiet", "--all", "--message", `edit ${edits}`);
  const sha = (await git("rev-parse", "HEAD")).stdout.trim();
  if (ref) {
    // A pull request's head: the commit under refs/pull/N/head, main put back where it was.
    await git("update-ref", ref, sha);
    await git("reset", "--quiet", "--hard", "HEAD~1");
  }
  return sha;
}

export const serveStage: Stage<Input> = {
  name: "serve",
  description:
    "the lab serve loop in process: cold apply, one label applied warm, a pull request's comment",
  prepare: (dir) => reconcileStage.prepare(dir),
  async run({ dir, labels }): Promise<Parts> {
    const stateDir = await mkdtemp(join(tmpdir(), "lab-bench-serve-"));
    const cache = openDiskCache({ dir: join(stateDir, "cache"), codeId: await codeId() });
    const { store } = await openStateStore({ path: join(stateDir, "state.db") });
    const git = await gitSource(dir, { cache: join(stateDir, "mirror.git") }, process.env);
    const forge = memoryForge();
    const passes: PassResult[] = [];
    const handler = serveLoop({
      git,
      store,
      forge,
      check: (source, signal) => checkRepoCached(source, dir, cache, signal ? { signal } : {}),
      fileUrl: (path, line, revision) => `https://example.org/${revision}/${path}#L${line}`,
      log: quiet,
      enqueue: () => Promise.resolve(),
      apply: async (revision, trigger, signal) => {
        const pass = await reconcileOnce({
          source: await git.tree(revision, signal),
          revision,
          store,
          outputs: (settings) => outputTargets(settings, stateDir),
          treeAt: (r) => git.tree(r, signal),
          holder: `bench:${process.pid}`,
          trigger,
          check: (source, s) => checkRepoCached(source, dir, cache, s ? { signal: s } : {}),
          renderedSets: renderedSetStore(cache),
        });
        passes.push(pass);
        return pass;
      },
    });
    const time = async (item: WorkItem): Promise<number> => {
      const start = performance.now();
      await handler(item, new AbortController().signal);
      return performance.now() - start;
    };
    const branch: WorkItem = { kind: "branch", branch: "main", trigger: "push" };
    try {
      const cold = await time(branch);
      await commitLabel(dir, labels);
      const onefile = await time(branch);
      const timings = passes.at(-1)!.timings;
      await commitLabel(dir, labels, "refs/pull/1/head");
      const pull = await time({
        kind: "pull",
        number: 1,
        action: "opened",
        trigger: "pull_request",
      });
      await commitLabel(dir, labels, "refs/pull/1/head");
      const pull2 = await time({
        kind: "pull",
        number: 1,
        action: "synchronize",
        trigger: "pull_request",
      });
      if (forge.comments.get(1)?.length !== 1)
        throw new Error("the pull request has no single comment");
      const parts: Record<string, number> = { cold, onefile, pull, pull2 };
      for (const [stage, ms] of Object.entries(timings) as [string, number][]) {
        parts[`onefile.${stage}`] = ms;
      }
      return { parts };
    } finally {
      await git.close();
      await store.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};
