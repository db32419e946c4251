/** Running reconcile passes: the state store, the revision, the outputs, composed. */
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, resolve as resolvePath } from "node:path";
import type { Command } from "commander";
import type { OutputTarget } from "../core/output.js";
import { checkRepoCached, renderedSetStore } from "../adapters/cache/cached-check.js";
import type { DiskCache } from "../adapters/cache/disk-cache.js";
import type { StateStore } from "../core/state-store.js";
import { outputTargets, pulumiBackend } from "../adapters/output/outputs.js";
import { readCheckpoints } from "../adapters/pulumi/checkpoint.js";
import { desiredResources } from "../adapters/pulumi/desired-resources.js";
import { openStateStore } from "../adapters/state/open-state-store.js";
import { defaultStatePath } from "../adapters/state/sqlite-files.js";
import {
  openRevision,
  type Revision,
  type StaleFetch,
} from "../adapters/source/revision-source.js";
import {
  reconcileOnce,
  type PassInput,
  type PassResult,
} from "../reconciler/reconcile/one-pass.js";
import { eprintln, openCache, type CliContext } from "./context.js";
import { reportPass, type ReconcileOptions } from "./reconcile.js";

/** The state store's file: --state, else ~/.lab/state.db; its folder is the state directory. */
export function statePath(ctx: CliContext, opts: { state?: string }): string {
  const cwd = ctx.io.cwd ?? process.cwd();
  return opts.state ? resolvePath(cwd, opts.state) : defaultStatePath();
}

export async function openStore(ctx: CliContext, opts: { state?: string }): Promise<StateStore> {
  const url = ctx.io.env.LAB_DATABASE_URL;
  const opened = await openStateStore(url ? { url } : { path: statePath(ctx, opts) });
  if (opened.corrupt) eprintln(ctx, `${ctx.err.yellow("warning:")} ${opened.corrupt.message}`);
  return opened.store;
}

/** `--repo` as given (a URL or a path), else LAB_REPO, else the working directory. */
export function repoArg(ctx: CliContext, self: Command): string {
  const { repo } = self.optsWithGlobals<{ repo?: string }>();
  return repo ?? (ctx.io.env.LAB_REPO || ".");
}

async function appliedText(target: OutputTarget, path: string): Promise<string | null> {
  return readFile(join(target.location, path), "utf8").catch(() => null);
}

/**
 * `LAB_FAULT_AT=<output>:<step>` kills the process (SIGKILL) when the apply reaches that step:
 * how the crash-safety tests stop a pass at an exact point (docs/apply.md).
 */
function faultPoint(env: CliContext["io"]["env"]): ((target: string, step: string) => void) | null {
  const at = env.LAB_FAULT_AT;
  if (!at) return null;
  return (target, step) => {
    if (`${target}:${step}` === at) process.kill(process.pid, "SIGKILL");
  };
}

/**
 * A holder (`host:pid`) on this host whose process is gone: its leases were left by a crash and
 * are taken over at once rather than after they expire.
 */
export function staleHolder(holder: string): boolean {
  const m = /^(.*):([0-9]+)$/.exec(holder);
  if (!m || m[1] !== hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * How a pass checks a revision and remembers what it rendered: through the persistent cache
 * (docs/caching.md) when there is one, so an unchanged revision is neither checked nor rendered.
 */
function cachedPass(
  cache: DiskCache | null,
  root: string,
): Pick<PassInput, "check" | "renderedSets"> {
  if (!cache) return {};
  return {
    check: (source, signal) => checkRepoCached(source, root, cache, signal ? { signal } : {}),
    renderedSets: renderedSetStore(cache),
  };
}

/** One pass over an open store and revision. */
export function passOver(
  store: StateStore,
  revision: Revision,
  holder: string,
  trigger: string,
  env: CliContext["io"]["env"] = {},
  cache: DiskCache | null = null,
): Promise<PassResult> {
  const at = faultPoint(env);
  return reconcileOnce({
    ...(at ? { at } : {}),
    ...cachedPass(cache, revision.base),
    source: revision.source,
    revision: revision.revision,
    store,
    outputs: (settings) => outputTargets(settings, revision.base),
    observe: (settings) => readCheckpoints(pulumiBackend(revision.base, settings.outputs)),
    desired: (artifacts) => desiredResources(artifacts),
    treeAt: revision.treeAt,
    appliedText,
    holder,
    staleHolder,
    trigger,
  });
}

export async function runPass(
  ctx: CliContext,
  self: Command,
  opts: ReconcileOptions,
  holder: string,
  trigger: string,
): Promise<void> {
  const store = await openStore(ctx, opts);
  try {
    const revision = await openRevision(repoArg(ctx, self), {
      branch: opts.branch,
      cwd: ctx.io.cwd ?? process.cwd(),
      stateDir: dirname(statePath(ctx, opts)),
      env: ctx.io.env,
      lastFetchedWhenDown: true,
      ...(opts.worktree ? { worktree: true } : {}),
    });
    try {
      const cache = await openCache(ctx, self);
      const pass = await passOver(store, revision, holder, trigger, ctx.io.env, cache);
      if (revision.stale) warnStale(ctx, revision.stale, pass.revision);
      await notePulumi(ctx, pass);
      await reportPass(ctx, opts, pass, revision.describe, revision.stale);
    } finally {
      await revision.close();
    }
  } finally {
    await store.close();
  }
}

/** The remote did not answer: the pass ran on the last fetched revision (docs/apply.md). */
function warnStale(ctx: CliContext, stale: StaleFetch, revision: string): void {
  eprintln(
    ctx,
    `${ctx.err.yellow("warning:")} ${stale.remote} could not be fetched (${stale.reason}); reconciled the last fetched revision ${revision.slice(0, 12)}`,
  );
}

/** The Pulumi output's stacks are files only: say whether they can be deployed here at all. */
async function notePulumi(ctx: CliContext, pass: PassResult): Promise<void> {
  const target = pass.targets.find((t) => t.name === "pulumi");
  if (!target || target.status === "failed" || target.status === "busy") return;
  const { findPulumiCli } = await import("../adapters/pulumi/find-pulumi-cli.js");
  const cli = await findPulumiCli(ctx.io.env.PATH, AbortSignal.timeout(5_000));
  target.note = cli
    ? "stack files written; deploying them is not part of a pass yet (run pulumi up in each stack folder)"
    : "stack files written, not deployed: the Pulumi CLI is not installed (every other output is applied)";
}

const DEBOUNCE_MS = 300;

/** A pass now and after every change of the folder's files, until interrupted. */
export async function watchPasses(
  ctx: CliContext,
  self: Command,
  opts: ReconcileOptions,
  holder: string,
): Promise<void> {
  const { watch } = await import("chokidar");
  const dir = resolvePath(ctx.io.cwd ?? process.cwd(), repoArg(ctx, self));
  await runPass(ctx, self, opts, holder, "watch");
  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (path) => /(^|[/\\])\.(lab|git)([/\\]|$)/.test(path),
  });
  let timer: NodeJS.Timeout | null = null;
  let running = Promise.resolve();
  const again = () => {
    running = running.then(() =>
      runPass(ctx, self, opts, holder, "watch").catch((err: unknown) => {
        eprintln(
          ctx,
          `${ctx.err.red("error:")} ${err instanceof Error ? err.message : String(err)}`,
        );
      }),
    );
  };
  watcher.on("all", () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(again, DEBOUNCE_MS);
  });
  // Changes are seen once the watcher has scanned the folder: only then say so.
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  eprintln(ctx, `watching ${dir} (Ctrl-C to stop)`);
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      void watcher
        .close()
        .then(() => running)
        .then(() => resolveStop());
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
