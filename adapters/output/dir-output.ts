/**
 * An output in a folder of the local file system (docs/apply.md): the files are replaced as one
 * tree (the version-folder swap of tree-write), the previous tree is kept until the apply
 * commits, and the consumer is told by the `verify`/`notify` steps given to it (a Prometheus
 * reload, a command).
 */
import type { OutputFile, OutputTarget, StepResult, WriteHandle } from "../../core/output.js";
import type { RendererName } from "../../core/renderer.js";
import { diffTree, hasChanges } from "../../reconciler/tree-diff.js";
import { readTreeState, type TreeState } from "./tree-state.js";
import { dropPrevious, restorePrevious, writeTree } from "./tree-write.js";

export interface ConsumerSteps {
  verify?: (dir: string, signal?: AbortSignal) => Promise<StepResult>;
  notify?: (dir: string, files: readonly OutputFile[], signal?: AbortSignal) => Promise<StepResult>;
  loaded?: (
    dir: string,
    files: readonly OutputFile[],
    since: string,
    signal?: AbortSignal,
  ) => Promise<boolean | null>;
}

/** How long what `current` read stands for the folder when `write` follows. */
const REUSE_MS = 10_000;

const NOTHING_WRITTEN: WriteHandle = {
  wrote: false,
  restore: () => Promise.resolve(),
  commit: () => Promise.resolve(),
};

export function dirOutput(
  name: RendererName,
  dir: string,
  steps: ConsumerSteps = {},
): OutputTarget {
  // What `current` read, taken by the `write` that follows it in the same apply (under the
  // output's lease nothing else writes the folder in between): the tree is stat'ed once. Only a
  // read of the last few seconds is taken; an older one is read again.
  let lastRead: { state: TreeState; at: number } | null = null;
  const target: OutputTarget = {
    name,
    location: dir,
    async current(signal) {
      const state = await readTreeState(dir, signal);
      lastRead = { state, at: Date.now() };
      return Object.fromEntries([...state.hashes].sort(([a], [b]) => (a < b ? -1 : 1)));
    },
    async write(files, signal) {
      const fresh = lastRead && Date.now() - lastRead.at < REUSE_MS ? lastRead.state : null;
      lastRead = null;
      const state = fresh ?? (await readTreeState(dir, signal));
      const diff = diffTree(state.hashes, files, () => true);
      if (state.exists && !hasChanges(diff)) return NOTHING_WRITTEN;
      const record = { scope: { kind: "full" as const }, sources: {}, servers: null };
      const previous = await writeTree(dir, files, state, diff, {
        owned: () => true,
        record,
        keepPrevious: true,
        ...(signal ? { signal } : {}),
      });
      return {
        wrote: true,
        restore: () => (previous ? restorePrevious(previous) : Promise.resolve()),
        commit: () => (previous ? dropPrevious(previous) : Promise.resolve()),
      };
    },
  };
  if (steps.verify) target.verify = (signal) => steps.verify!(dir, signal);
  if (steps.notify) target.notify = (files, signal) => steps.notify!(dir, files, signal);
  if (steps.loaded)
    target.loaded = (files, since, signal) => steps.loaded!(dir, files, since, signal);
  return target;
}
