/** `lab render`: render the repo into its tree of files atomically, or preview a selection. */
import { join, resolve as resolvePath } from "node:path";
import type { Command } from "commander";
import { stat } from "node:fs/promises";
import { fullRecord, inputId, recordChanged, reusable } from "../adapters/output/tree-input.js";
import { readTreeState, type TreeState } from "../adapters/output/tree-state.js";
import { updateManifest, writeTree } from "../adapters/output/tree-write.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import { LabError, UsageError } from "../core/errors.js";
import type { ResolvedModel } from "../core/model.js";
import type { RendererName } from "../core/renderer.js";
import { renderAll } from "../reconciler/render.js";
import { diffTree, hasChanges, type TreeDiff } from "../reconciler/tree-diff.js";
import { eprintln, loadModel, repoRoot, type CliContext } from "./context.js";
import { emit } from "./output.js";
import { parseOnly, type RenderOptions } from "./render.js";
import { previewText, summaryText } from "./render-summary.js";
import { restrictModel } from "./restrict-model.js";
import { hasSelector, selectedServers } from "./selector-flags.js";

/** What to do with the artifacts: the tree they go to, and what it may hold. */
interface Target {
  out: string;
  /** The repo's own rendered tree (`<repo>/.lab/rendered`), which always holds the whole repo. */
  isDefault: boolean;
}

function targetOf(ctx: CliContext, root: string, opts: RenderOptions): Target {
  const fallback = join(root, ".lab", "rendered");
  if (!opts.out) return { out: fallback, isDefault: true };
  const out = resolvePath(ctx.io.cwd ?? process.cwd(), opts.out);
  return { out, isDefault: out === fallback };
}

function renderOrFail(ctx: CliContext, model: ResolvedModel, names: readonly RendererName[]) {
  const { value, diagnostics } = renderAll(model, names);
  for (const d of diagnostics) eprintln(ctx, formatDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors) {
    throw new LabError(
      "INVALID_REPO",
      `rendering found ${errors} error${errors === 1 ? "" : "s"}; nothing was written`,
    );
  }
  return value.map((a) => ({ path: a.path, content: a.content, hash: a.hash }));
}

/** A selection may only go to a folder that holds no tree of the whole repo. */
function refuseFullTree(target: Target, state: TreeState, owned: (p: string) => boolean): void {
  if (target.isDefault) {
    throw new UsageError(
      `--out ${target.out} is the repo's rendered tree, which always holds the whole repo; write the selection to another folder`,
    );
  }
  const files = [...state.hashes.keys()].filter(owned).length;
  if (state.scope?.kind === "selection" || files === 0) return;
  const what =
    state.scope?.kind === "full" ? "a rendered tree of the whole repo" : "rendered files";
  throw new LabError(
    "IO",
    `${target.out} holds ${what} (${files} files); writing a selection there would remove what the selection leaves out. Choose an empty folder, or run lab render without selector flags`,
  );
}

/** What a render of the whole repo starts from: the repo's folder and its input id. */
interface Input {
  root: string;
  target: Target;
  /** Changes with any file the load reads, and with lab's own code. */
  id: string;
}

/** The input id, or null when the repo folder cannot be read (loadModel then says why). */
async function inputOf(ctx: CliContext, self: Command, opts: RenderOptions): Promise<Input | null> {
  const root = repoRoot(ctx, self);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) return null;
  return { root, target: targetOf(ctx, root, opts), id: await inputId(root) };
}

/**
 * With nothing changed — the same input and the same code rendered every folder asked for, and
 * no file of the tree was changed by hand — the tree is reused as it is: nothing is loaded,
 * rendered or written. Returns whether it was.
 */
async function reuse(
  ctx: CliContext,
  opts: RenderOptions,
  run: { input: Input; names: readonly RendererName[]; owned: (path: string) => boolean },
): Promise<boolean> {
  const { input, names, owned } = run;
  const state = await readTreeState(input.target.out);
  if (!reusable(state, names, input.id)) return false;
  const unchanged = [...state.hashes.keys()].filter(owned);
  const diff = { added: [], changed: [], removed: [], unchanged };
  await report(ctx, opts, {
    target: input.target,
    names,
    diff,
    write: false,
    servers: state.servers ?? 0,
    reused: true,
  });
  return true;
}

export async function runRender(
  ctx: CliContext,
  opts: RenderOptions,
  self: Command,
): Promise<void> {
  if (opts.allProviders) {
    const { runComparison } = await import("./compare.js");
    return runComparison(ctx, opts, self);
  }
  const names = parseOnly(opts.only);
  const owned = (path: string) => (names as readonly string[]).includes(path.split("/")[0] ?? "");
  const input = hasSelector(opts) ? null : await inputOf(ctx, self, opts);
  if (input && (await reuse(ctx, opts, { input, names, owned }))) return;
  const { root, model } = await loadModel(ctx, self);
  const selected = await selectedServers(model, opts);
  const target = targetOf(ctx, root, opts);
  const full = renderOrFail(ctx, model, names);
  const state = await readTreeState(target.out);
  if (!selected) {
    const diff = diffTree(state.hashes, full, owned);
    const write = hasChanges(diff) && !opts.dryRun;
    const record = fullRecord(state, names, input?.id ?? null, model.servers.length);
    if (write) await writeTree(target.out, full, state, diff, { owned, record });
    // Nothing to write, but a new input id to remember: the next render reuses the tree.
    else if (!opts.dryRun && state.exists && recordChanged(state, record)) {
      await updateManifest(target.out, state, record);
    }
    return report(ctx, opts, { target, names, diff, write, servers: model.servers.length });
  }
  const files = renderOrFail(ctx, restrictModel(model, selected), names);
  const selection = { servers: selected.size, of: model.servers.length };
  if (!opts.out) {
    // Preview: the selection's files, with what a render of the whole repo does to each.
    const byPath = new Map(full.map((f) => [f.path, f.hash]));
    const wanted = files.map((f) => ({ path: f.path, hash: byPath.get(f.path) ?? f.hash }));
    const diff = diffTree(state.hashes, wanted, () => false);
    return report(ctx, opts, {
      target,
      names,
      diff,
      write: false,
      servers: selected.size,
      selection,
    });
  }
  refuseFullTree(target, state, owned);
  const diff = diffTree(state.hashes, files, owned);
  const write = hasChanges(diff) && !opts.dryRun;
  const record = {
    scope: { kind: "selection" as const, ...selection },
    sources: {},
    servers: selected.size,
  };
  if (write) await writeTree(target.out, files, state, diff, { owned, record });
  return report(ctx, opts, { target, names, diff, write, servers: selected.size, selection });
}

interface Outcome {
  target: Target;
  names: readonly RendererName[];
  diff: TreeDiff;
  write: boolean;
  servers: number;
  /** Set when selector flags chose the servers. */
  selection?: { servers: number; of: number };
  /** The tree was reused as it was: nothing was loaded or rendered. */
  reused?: boolean;
}

async function report(ctx: CliContext, opts: RenderOptions, o: Outcome): Promise<void> {
  const preview = o.selection !== undefined && !opts.out;
  const changes = hasChanges(o.diff);
  await emit(
    ctx,
    opts.output,
    () => ({
      out: o.target.out,
      renderers: o.names,
      scope: o.selection ? "selection" : "full",
      servers: o.servers,
      ...(o.selection ? { of: o.selection.of } : {}),
      preview,
      reused: o.reused === true,
      written: o.write,
      ...o.diff,
      unchanged: o.diff.unchanged.length,
    }),
    () => {
      if (preview) return previewText(o.target.out, o.selection!, o.diff, ctx.out);
      const what = o.selection ? ` for ${o.selection.servers} of ${o.selection.of} servers` : "";
      const dry = opts.dryRun && changes ? "(dry run: nothing was written)\n" : "";
      return summaryText(o.target.out, o.names, o.diff, ctx.out, what) + dry;
    },
  );
}
