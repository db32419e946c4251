/**
 * One reconcile pass (docs/apply.md): check the revision, plan it against what was last applied,
 * apply it to every output, record the run. A revision with errors is never applied: the run is
 * recorded as invalid and the last good revision stays applied. Composes the contracts only —
 * the Git source, the state store and the outputs come in as arguments.
 */
import { hasErrors, type Diagnostic } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import type { Settings } from "../../core/model.js";
import type { OutputTarget } from "../../core/output.js";
import type { ProviderPlan } from "../../core/provider.js";
import type { Artifact } from "../../core/renderer.js";
import type { RunResult, StateStore } from "../../core/state-store.js";
import { applyOutputs, type ApplyOptions, type TargetResult } from "../apply/apply-outputs.js";
import { checkRepo, type CheckedRepo } from "../check-repo.js";
import { plan } from "../plan/plan.js";
import { readSecretTexts } from "../secrets/secret-texts.js";
import type {
  AppliedState,
  BaseSide,
  ObservedStack,
  Plan,
  ProviderResources,
} from "../plan/plan-types.js";
import { renderAll } from "../render.js";
import { alreadyApplied, renderedSets, type RenderedSetStore } from "./already-applied.js";

export interface PassInput {
  /** The revision's files. */
  source: FileSource;
  /** A commit id, or a content id for a folder that is not a commit. */
  revision: string;
  store: StateStore;
  /** The outputs the revision's settings name. */
  outputs: (settings: Settings) => OutputTarget[];
  /** Another revision's files (the last applied one, to plan against); null when unknown. */
  treeAt?: (revision: string) => Promise<FileSource | null>;
  /** Old file texts for diffs when no base revision can be read (an output's file). */
  appliedText?: (target: OutputTarget, path: string) => Promise<string | null>;
  /** What the providers report now (Pulumi's checkpoints), for drift. */
  observe?: (settings: Settings) => Promise<ObservedStack[]>;
  /**
   * What the model wants of each provider stack, from the revision's artifacts, compared with
   * what `observe` reports (docs/plan.md, "resources"). Asked only by a pass that renders.
   */
  desired?: (artifacts: readonly Artifact[], settings: Settings) => Promise<ProviderPlan[]>;
  holder: string;
  staleHolder?: ApplyOptions["staleHolder"];
  trigger: string;
  signal?: AbortSignal;
  at?: ApplyOptions["at"];
  /**
   * How a revision is checked (default: checkRepo). The CLI checks through the persistent cache
   * (docs/caching.md), so the last applied revision, checked on the pass that applied it, is not
   * checked again to plan against.
   */
  check?: (source: FileSource, signal?: AbortSignal) => Promise<KeyedCheck>;
  /**
   * The outputs' file sets of revisions rendered before (already-applied.ts): with the check's
   * key, a pass whose outputs hold them already renders nothing.
   */
  renderedSets?: RenderedSetStore;
  /** A clock in milliseconds for the stage timings (default performance.now). */
  now?: () => number;
}

/** A checked revision and a key of its content and lab's code (null: none to be had). */
export interface KeyedCheck {
  checked: CheckedRepo;
  key: string | null;
}

/** Milliseconds each stage of a pass took, in the order they ran. */
export interface PassTimings {
  check: number;
  render: number;
  base: number;
  plan: number;
  apply: number;
  record: number;
}

export interface PassResult {
  runId: number;
  revision: string;
  result: RunResult;
  diagnostics: Diagnostic[];
  consequences: number;
  plan: Plan | null;
  targets: TargetResult[];
  /** What stays applied when this revision is not: the last good revision. */
  lastGood: string | null;
  timings: PassTimings;
}

/**
 * The base side: the last applied revision, checked, when it can be read — its model, to compare
 * servers. Its files are not rendered again: the applied state has their hashes and the output
 * its texts.
 */
async function baseSide(input: PassInput, revision: string | null): Promise<BaseSide | null> {
  if (!revision || revision === input.revision || !input.treeAt) return null;
  const source = await input.treeAt(revision).catch(() => null);
  if (!source) return null;
  const { checked } = await checkWith(input, source);
  if (!checked.model) return null;
  const secretTexts = await readSecretTexts(source, input.signal);
  const { sources, puppet } = checked.repo;
  return { revision, model: checked.model, sources, puppet, secretTexts };
}

async function checkWith(input: PassInput, source: FileSource): Promise<KeyedCheck> {
  if (input.check) return input.check(source, input.signal);
  const { signal } = input;
  return { checked: await checkRepo(source, signal ? { signal } : {}), key: null };
}

/** What the state store says is applied, as the plan reads it (paths as artifacts name them). */
async function appliedState(
  input: PassInput,
  targets: readonly OutputTarget[],
): Promise<AppliedState | null> {
  const hashes = new Map<string, string>();
  let revision: string | null = null;
  for (const target of targets) {
    const applied = await input.store.applied(target.name, input.signal);
    if (!applied) continue;
    revision ??= applied.revision;
    for (const [path, hash] of Object.entries(applied.artifacts)) {
      hashes.set(`${target.name}/${path}`, hash);
    }
  }
  if (hashes.size === 0) return null;
  return { revision, hashes, content: () => null };
}

/**
 * The applied state with the old texts the plan's diffs need — only of the files the head
 * changes, read now, since the plan itself does no IO. Needed only when no base revision could
 * be read (a base side has its own texts).
 */
async function withTexts(
  input: PassInput,
  targets: readonly OutputTarget[],
  applied: AppliedState,
  artifacts: readonly Artifact[],
): Promise<AppliedState> {
  const head = new Map(artifacts.map((a) => [a.path, a.hash]));
  const texts = new Map<string, string | null>();
  for (const target of targets) {
    const prefix = `${target.name}/`;
    for (const [path, hash] of applied.hashes) {
      if (!path.startsWith(prefix) || head.get(path) === hash) continue;
      texts.set(path, (await input.appliedText?.(target, path.slice(prefix.length))) ?? null);
    }
  }
  return { ...applied, content: (path) => texts.get(path) ?? null };
}

/**
 * The plan of a revision whose outputs already hold it: no file to change, servers not compared
 * (the applied revision renders the same files), the providers' drift as always.
 */
async function unchangedPlan(
  input: PassInput,
  checked: CheckedRepo,
  before: string | null,
): Promise<Plan> {
  const model = checked.model!;
  const applied = {
    revision: before ?? input.revision,
    hashes: new Map(),
    content: () => null,
  };
  const resources = await providerResources(input, model.settings);
  const head = {
    revision: input.revision,
    model,
    artifacts: [],
    // Read only to compare servers, which a plan without a base does not: left unloaded.
    get sources() {
      return checked.repo.sources;
    },
  };
  return plan({ head, base: null, applied, ...(resources ? { resources } : {}) });
}

/** The state store's row of what the providers held when lab first saw them. */
const BASELINE = ["providers", "baseline"] as const;

/**
 * The providers' resources: what they report now against the baseline — what they held when lab
 * first observed them (lab does not deploy stacks yet, so nothing moves the baseline but a
 * store without one). Recorded on the first observation.
 */
async function providerResources(
  input: PassInput,
  settings: Settings,
): Promise<ProviderResources | undefined> {
  if (!input.observe) return undefined;
  const observed = await input.observe(settings);
  const stored = await input.store.observed(...BASELINE, input.signal);
  if (!stored) {
    await input.store.recordObserved(...BASELINE, observed, input.signal);
    return { applied: observed, observed };
  }
  return { applied: stored.state as ObservedStack[], observed };
}

function outcome(targets: readonly TargetResult[]): RunResult {
  if (targets.some((t) => t.status === "failed")) return "failed";
  return targets.some((t) => t.status === "applied") ? "ok" : "no-change";
}

/** Times the stages of a pass: `lap(stage)` adds the time since the last lap to that stage. */
function stopwatch(now: () => number): {
  timings: PassTimings;
  lap: (stage: keyof PassTimings) => void;
} {
  const timings: PassTimings = { check: 0, render: 0, base: 0, plan: 0, apply: 0, record: 0 };
  let last = now();
  return {
    timings,
    lap(stage) {
      const t = now();
      timings[stage] += t - last;
      last = t;
    },
  };
}

export async function reconcileOnce(input: PassInput): Promise<PassResult> {
  const { store, revision, signal } = input;
  const { timings, lap } = stopwatch(input.now ?? (() => performance.now()));
  const runId = await store.startRun({ revision, trigger: input.trigger }, signal);
  lap("record");
  const { checked, key } = await checkWith(input, input.source);
  const { diagnostics, consequences } = checked;
  lap("check");
  const known = checked.model && key !== null ? (input.renderedSets?.read(key) ?? null) : null;
  if (checked.model && known) {
    const targets = input.outputs(checked.model.settings);
    const held = await alreadyApplied(targets, known, store, revision, signal);
    lap("apply");
    if (held) {
      const thePlan = await unchangedPlan(input, checked, held.before);
      lap("plan");
      await store.finishRun(
        runId,
        { result: "no-change", diagnostics: diagnostics.length },
        signal,
      );
      lap("record");
      const base = { runId, revision, result: "no-change" as const, diagnostics, consequences };
      return { ...base, plan: thePlan, targets: held.results, lastGood: revision, timings };
    }
  }
  const rendered = checked.model ? renderAll(checked.model) : null;
  lap("render");
  const renderErrors = rendered ? rendered.diagnostics : [];
  const all = [...diagnostics, ...renderErrors];
  if (!checked.model || !rendered || hasErrors(all)) {
    await store.finishRun(runId, { result: "invalid", diagnostics: all.length }, signal);
    const lastGood = await store.lastGoodRevision(undefined, signal);
    lap("record");
    const base = { runId, revision, result: "invalid" as const, diagnostics: all, consequences };
    return { ...base, plan: null, targets: [], lastGood, timings };
  }
  const artifacts: Artifact[] = rendered.value;
  const targets = input.outputs(checked.model.settings);
  const recorded = await appliedState(input, targets);
  lap("record");
  const base = await baseSide(input, recorded?.revision ?? null);
  const applied = recorded ? await withTexts(input, targets, recorded, artifacts) : null;
  lap("base");
  const head = {
    revision,
    model: checked.model,
    artifacts,
    sources: checked.repo.sources,
    puppet: checked.repo.puppet,
    // Only a pass with a base revision compares values; without one nothing is read.
    ...(base ? { secretTexts: await readSecretTexts(input.source, signal) } : {}),
  };
  try {
    const resources = await providerResources(input, checked.model.settings);
    const desired = await input.desired?.(artifacts, checked.model.settings);
    const thePlan = plan({
      head,
      base,
      applied,
      ...(resources ? { resources } : {}),
      ...(desired ? { desired } : {}),
    });
    lap("plan");
    const results = await applyOutputs(targets, artifacts, {
      store,
      runId,
      revision,
      holder: input.holder,
      ...(signal ? { signal } : {}),
      ...(input.at ? { at: input.at } : {}),
      ...(input.staleHolder ? { staleHolder: input.staleHolder } : {}),
    });
    lap("apply");
    const result = outcome(results);
    if (key !== null && result !== "failed") {
      input.renderedSets?.write(key, renderedSets(targets, artifacts));
    }
    const failed = results.filter((t) => t.status === "failed").map((t) => t.name);
    await store.finishRun(
      runId,
      {
        result,
        diagnostics: all.length,
        ...(failed.length ? { error: `apply failed: ${failed.join(", ")}` } : {}),
      },
      signal,
    );
    const lastGood =
      result === "failed" ? await store.lastGoodRevision(undefined, signal) : revision;
    lap("record");
    return {
      runId,
      revision,
      result,
      diagnostics: all,
      consequences,
      plan: thePlan,
      targets: results,
      lastGood,
      timings,
    };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await store
      .finishRun(runId, { result: "failed", diagnostics: all.length, error })
      .catch(() => undefined);
    throw err;
  }
}
