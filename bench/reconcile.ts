/**
 * One reconcile pass end to end (fetch from a local Git repo, check, plan, apply every output,
 * record in SQLite), as `lab reconcile` runs it, with the persistent cache in the run's state
 * directory. `prepare` commits the generated repo to a Git work tree, untimed. Each run starts
 * from an empty state store, cache and outputs, then times three passes: cold (everything
 * written), again (nothing changed: nothing written or told), and one file changed (one label's
 * classes, committed). Parts: cold, again, onefile (ms), and the one-file pass by stage
 * (onefile.check, .render, .base, .plan, .apply, .record).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { outputTargets } from "../adapters/output/outputs.js";
import { openRevision } from "../adapters/source/revision-source.js";
import { openStateStore } from "../adapters/state/open-state-store.js";
import { checkRepoCached, renderedSetStore } from "../adapters/cache/cached-check.js";
import { openDiskCache } from "../adapters/cache/disk-cache.js";
import { codeId } from "../adapters/output/code-id.js";
import { reconcileOnce, type PassTimings } from "../reconciler/reconcile/one-pass.js";
import { COMMIT_ENV } from "./git.js";
import type { Parts, Stage } from "./stages.js";

const run = promisify(execFile);

interface Input {
  dir: string;
  /** A labels file whose first class list each run changes. */
  labels: string;
}

let edits = 0;

interface Pass {
  ms: number;
  result: string;
  timings: PassTimings;
}

async function pass(dir: string, stateDir: string): Promise<Pass> {
  const start = performance.now();
  const cache = openDiskCache({ dir: join(stateDir, "cache"), codeId: await codeId() });
  const { store } = await openStateStore({ path: join(stateDir, "state.db") });
  const revision = await openRevision(dir, {
    branch: "default",
    cwd: dir,
    stateDir,
    env: process.env,
  });
  try {
    const result = await reconcileOnce({
      source: revision.source,
      revision: revision.revision,
      store,
      outputs: (settings) => outputTargets(settings, revision.base),
      treeAt: revision.treeAt,
      holder: `bench:${process.pid}`,
      trigger: "bench",
      check: (source, signal) => checkRepoCached(source, dir, cache, signal ? { signal } : {}),
      renderedSets: renderedSetStore(cache),
    });
    return { ms: performance.now() - start, result: result.result, timings: result.timings };
  } finally {
    await revision.close();
    await store.close();
  }
}

export const reconcileStage: Stage<Input> = {
  name: "reconcile",
  description: "lab reconcile end to end on a local Git repo: cold, again, one label changed",
  async prepare(dir) {
    const git = (...args: string[]) => run("git", ["-C", dir, ...args], { env: COMMIT_ENV });
    await run("git", ["init", "--quiet", "--initial-branch=main", dir]);
    await writeFile(join(dir, ".gitignore"), ".lab/\n");
    await git("add", "--all", ".");
    // --allow-empty: the stages after the first find the repo committed already.
    await git("commit", "--quiet", "--allow-empty", "--message", "generated repo");
    const files = (await readdir(join(dir, "labels"))).filter((f) => f.endsWith(".yaml")).sort();
    return { dir, labels: join(dir, "labels", files[0]!) };
  },
  async run({ dir, labels }): Promise<Parts> {
    await rm(join(dir, ".lab"), { recursive: true, force: true });
    const stateDir = await mkdtemp(join(tmpdir(), "lab-bench-state-"));
    try {
      const cold = await pass(dir, stateDir);
      const again = await pass(dir, stateDir);
      if (again.result !== "no-change") throw new Error(`the second pass was ${again.result}`);
      const text = await readFile(labels, "utf8");
      await writeFile(
        labels,
        text.replace("puppet_classes: [", `puppet_classes: [bench_${++edits}, `),
      );
      await run("git", ["-C", dir, "commit", "--quiet", "--all", "--message", "one label"], {
        env: COMMIT_ENV,
      });
      const onefile = await pass(dir, stateDir);
      const parts: Record<string, number> = { cold: cold.ms, again: again.ms, onefile: onefile.ms };
      for (const [stage, ms] of Object.entries(onefile.timings) as [string, number][])
        parts[`onefile.${stage}`] = ms;
      return { parts };
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};
