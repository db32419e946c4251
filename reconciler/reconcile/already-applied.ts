/**
 * A pass over a revision whose outputs already hold what it renders to, found without rendering
 * (docs/apply.md, "Nothing changed"). Rendering is deterministic in the revision's content and
 * lab's code, so once a pass has rendered a revision, the set of each output's files (its
 * `setKey`) is kept under a key of both; a later pass with the same key compares that with what
 * the state store says is applied and what is in the output now, and renders nothing when all
 * three agree. Anything else — a key not seen, an output that differs, a step a killed run left
 * journaled — and the pass renders and applies as usual.
 */
import type { OutputTarget } from "../../core/output.js";
import type { Artifact } from "../../core/renderer.js";
import type { StateStore } from "../../core/state-store.js";
import { filesFor, setKey, type TargetResult } from "../apply/apply-outputs.js";

/** Per output (its name), the setKey of the files a revision renders to it. */
export type RenderedSets = Readonly<Record<string, string>>;

/** Where the sets are kept between passes: by a key of a revision's content and lab's code. */
export interface RenderedSetStore {
  read(key: string): RenderedSets | null;
  write(key: string, sets: RenderedSets): void;
}

/** The sets of every output of `targets`, from the rendered artifacts. */
export function renderedSets(
  targets: readonly OutputTarget[],
  artifacts: readonly Artifact[],
): RenderedSets {
  const sets: Record<string, string> = {};
  for (const target of targets) {
    const files = filesFor(target.name, artifacts);
    sets[target.name] = setKey(Object.fromEntries(files.map((f) => [f.path, f.hash])));
  }
  return sets;
}

/**
 * The outputs' results when every one of `targets` already holds its set of `sets` — applied in
 * the state store, in place in the output, nothing journaled — else null; with the revision the
 * store had applied before (an output applied at another revision with the same files is
 * recorded at this one).
 */
export async function alreadyApplied(
  targets: readonly OutputTarget[],
  sets: RenderedSets,
  store: StateStore,
  revision: string,
  signal?: AbortSignal,
): Promise<{ results: TargetResult[]; before: string | null } | null> {
  const pending = new Set((await store.pendingIntents(signal)).map((e) => e.target));
  const moved: { target: OutputTarget; hashes: Record<string, string> }[] = [];
  let before: string | null = null;
  for (const target of targets) {
    const wanted = sets[target.name];
    if (wanted === undefined || pending.has(target.name)) return null;
    const applied = await store.applied(target.name, signal);
    if (!applied || setKey(applied.artifacts) !== wanted) return null;
    if (setKey(await target.current(signal)) !== wanted) return null;
    before ??= applied.revision;
    if (applied.revision !== revision) moved.push({ target, hashes: applied.artifacts });
  }
  for (const { target, hashes } of moved) {
    await store.recordApplied(target.name, revision, hashes, signal);
  }
  const results = targets.map((target): TargetResult => ({
    name: target.name,
    location: target.location,
    status: "unchanged",
    added: 0,
    changed: 0,
    removed: 0,
    notified: false,
    recovered: false,
  }));
  return { results, before };
}
