/**
 * `lab plan`: what the head will do against the base, or against what is applied. The sides are
 * loaded here (the edge); the plan itself is reconciler/plan, pure.
 */
import { readFile } from "node:fs/promises";
import { join, resolve as resolvePath } from "node:path";
import { Command, Option } from "commander";
import { formatDiagnostic, hasErrors, type Diagnostic } from "../core/diagnostics.js";
import { LabError } from "../core/errors.js";
import type { FileSource } from "../core/file-source.js";
import type { Plan, PlanSide, AppliedState } from "../reconciler/plan/plan-types.js";
import { eprintln, repoRoot, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import { diagnosticJson, summary } from "./validate.js";

export interface PlanOptions {
  base?: string;
  head?: string;
  output: OutputFormat;
  detailedExitcode?: boolean;
  state?: string;
}

/** A side that loaded, or the diagnostics that stop it. */
type Loaded =
  | { ok: true; side: PlanSide; root: string }
  | { ok: false; root: string; diagnostics: Diagnostic[]; files: number };

/**
 * One side of the plan from a ref: a folder (a checkout, whose revision is the content id of the
 * files lab reads), else a branch or commit of the Git repo `--repo` names (cli/plan-git.ts).
 */
export async function loadSide(ctx: CliContext, ref: string, cmd?: Command): Promise<Loaded> {
  const root = resolvePath(ctx.io.cwd ?? process.cwd(), ref);
  const [{ dirSource, repoDirSource }, { contentId }, { existsSync }] = await Promise.all([
    import("../adapters/fs/dir-source.js"),
    import("../reconciler/load/content-id.js"),
    import("node:fs"),
  ]);
  if (!existsSync(root) && cmd) {
    const { gitTreeOf } = await import("./plan-git.js");
    const tree = await gitTreeOf(ctx, cmd, ref);
    try {
      return await loadSideFrom(
        tree.source,
        tree.revision,
        `${ref} (${tree.revision.slice(0, 12)})`,
      );
    } finally {
      await tree.close();
    }
  }
  const source = repoDirSource(root);
  // The SOPS files: secrets/ alone is walked, and nothing is read for a content id.
  const inSecrets = (dir: string) => dir === "secrets" || dir.startsWith("secrets/");
  const secrets = dirSource(root, { descend: inSecrets, identify: () => false });
  return loadSideFrom(source, await contentId(source), root, secrets);
}

/** A side from the files of `source` at `revision`; `root` names it in messages. */
export async function loadSideFrom(
  source: FileSource,
  revision: string,
  root: string,
  secrets: FileSource = source,
): Promise<Loaded> {
  const [{ checkRepo }, { renderAll }, { readSecretTexts }] = await Promise.all([
    import("../reconciler/check-repo.js"),
    import("../reconciler/render.js"),
    import("../reconciler/secrets/secret-texts.js"),
  ]);
  const [checked, secretTexts] = await Promise.all([checkRepo(source), readSecretTexts(secrets)]);
  const files = checked.repo.files.length;
  if (!checked.model) return { ok: false, root, diagnostics: checked.diagnostics, files };
  const rendered = renderAll(checked.model);
  const diagnostics = [...checked.diagnostics, ...rendered.diagnostics];
  if (hasErrors(diagnostics)) return { ok: false, root, diagnostics, files };
  const side: PlanSide = {
    revision,
    model: checked.model,
    artifacts: rendered.value,
    sources: checked.repo.sources,
    puppet: checked.repo.puppet,
    secretTexts,
  };
  return { ok: true, root, side };
}

/**
 * What is applied: today the rendered tree `lab render` wrote (its manifest's hashes, its files
 * for the old texts). Only the files whose hash differs from the head's are read. A state store
 * plugs in here.
 */
export async function loadApplied(root: string, head: PlanSide): Promise<AppliedState | null> {
  const { readTreeState } = await import("../adapters/output/tree-state.js");
  const tree = join(root, ".lab", "rendered");
  const state = await readTreeState(tree);
  if (!state.exists) return null;
  const headHashes = new Map(head.artifacts.map((a) => [a.path, a.hash]));
  const texts = new Map<string, string>();
  const wanted = [...state.hashes].filter(([path, hash]) => headHashes.get(path) !== hash);
  await Promise.all(
    wanted.map(async ([path]) => {
      texts.set(path, await readFile(join(tree, path), "utf8"));
    }),
  );
  return { revision: null, hashes: state.hashes, content: (path) => texts.get(path) ?? null };
}

/** The side of `ref`; on errors, they are printed as `lab validate` prints them (exit 1). */
async function sideOrRefuse(
  ctx: CliContext,
  which: "head" | "base",
  ref: string,
  format: OutputFormat,
  cmd?: Command,
): Promise<PlanSide> {
  const loaded = await loadSide(ctx, ref, cmd);
  if (loaded.ok) return loaded.side;
  const shown = loaded.diagnostics.filter((d) => !d.followsFrom);
  await emit(
    ctx,
    format === "json" || format === "yaml" ? format : "text",
    () => ({ diagnostics: loaded.diagnostics.map(diagnosticJson) }),
    () => shown.map((d) => formatDiagnostic(d) + "\n").join(""),
  );
  eprintln(ctx, summary(loaded.diagnostics, loaded.files, 0));
  throw new LabError(
    "INVALID_REPO",
    `the ${which} (${loaded.root}) has errors; nothing was planned`,
  );
}

async function appliedSide(
  ctx: CliContext,
  cmd: Command,
  revision: string,
  format: OutputFormat,
): Promise<PlanSide | null> {
  try {
    return await sideOrRefuse(ctx, "base", revision, format, cmd);
  } catch (err) {
    if (err instanceof LabError && (err.code === "USAGE" || err.code === "GIT")) return null;
    throw err;
  }
}

/** The plan of the head (`--head`, else the repo) against `--base`, else against what is applied. */
export async function computePlan(
  ctx: CliContext,
  opts: PlanOptions,
  cmd: Command,
): Promise<{ plan: Plan; head: PlanSide }> {
  const head = await sideOrRefuse(ctx, "head", opts.head ?? repoRoot(ctx, cmd), opts.output, cmd);
  const { plan } = await import("../reconciler/plan/plan.js");
  if (opts.base !== undefined) {
    const base = await sideOrRefuse(ctx, "base", opts.base, opts.output, cmd);
    return { plan: plan({ head, base, applied: null }), head };
  }
  // What the state store says is applied: that revision, read from Git, is the base.
  const { appliedRevision } = await import("./plan-git.js");
  const revision = await appliedRevision(ctx, cmd, opts);
  // A revision this repo's Git history does not hold (the store serves another repo) is skipped.
  const base = revision ? await appliedSide(ctx, cmd, revision, opts.output) : null;
  if (base) return { plan: plan({ head, base, applied: null }), head };
  const applied = await loadApplied(repoRoot(ctx, cmd), head);
  return { plan: plan({ head, base: null, applied }), head };
}

export function planCommand(ctx: CliContext): Command {
  return new Command("plan")
    .description("show what a change will do: files per output, servers, risks first")
    .option(
      "--base <ref>",
      "what to compare against: a checkout folder, or a branch or commit of the repo's Git repo (default: what is applied)",
    )
    .option(
      "--head <ref>",
      "what to plan: a checkout folder, a branch or a commit (default: the repo)",
    )
    .option(
      "--state <path>",
      "the state store that says what is applied (default: ~/.lab/state.db)",
    )
    .addOption(outputOption(["table", "json", "yaml"]))
    .addOption(
      new Option("--detailed-exitcode", "exit 2 when the plan has changes, 0 when it has none"),
    )
    .addHelpText(
      "after",
      "\nWithout --base the head is compared with what is applied: the revision the state store\n" +
        "records as applied (lab apply, lab reconcile), read from the repo's Git history, else the\n" +
        "rendered tree lab render wrote (<repo>/.lab/rendered), which records files only (servers\n" +
        "are then not compared). A head with errors is not planned: its diagnostics are printed\n" +
        "as lab validate prints them, and the run exits 1.\n" +
        "\nExit codes: 0 planned (with or without changes), 1 errors in the repo; with\n" +
        "--detailed-exitcode, 0 no changes, 2 changes.\n" +
        examples(
          "lab plan",
          "lab plan --base ../infra-main --head .",
          "lab plan -o json > plan.json",
          "lab plan --detailed-exitcode || echo changes",
        ),
    )
    .action(async (opts: PlanOptions, cmd: Command) => {
      const { plan: p } = await computePlan(ctx, opts, cmd);
      const { formatPlanTable } = await import("./printers/plan-table.js");
      await emit(
        ctx,
        opts.output,
        () => p,
        () => formatPlanTable(p, ctx.out),
      );
      if (opts.detailedExitcode && p.summary.changes) ctx.exitCode = 2;
    });
}
