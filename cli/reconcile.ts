/**
 * `lab reconcile` and `lab apply`: one pass — fetch, check, plan, apply, record — and where every
 * output went (docs/apply.md). Exit 0 applied or nothing to do, 1 the revision has errors
 * (nothing applied), 3 an apply step failed (named) or the remote could not be fetched (the last
 * fetched revision was reconciled).
 */
import { hostname } from "node:os";
import { Command, Option } from "commander";
import { formatDiagnostic } from "../core/diagnostics.js";
import type { StaleFetch } from "../adapters/source/revision-source.js";
import type { PassResult } from "../reconciler/reconcile/one-pass.js";
import { eprintln, errorCount, type CliContext } from "./context.js";
import { diagnosticJson } from "./diagnostic-json.js";
import { examples } from "./examples.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import { passText } from "./reconcile-text.js";

export const EXIT_APPLY_FAILED = 3;

export interface ReconcileOptions {
  output: OutputFormat;
  branch: string;
  state?: string;
  worktree?: boolean;
  watch?: boolean;
  once?: boolean;
}

export function passJson(
  pass: PassResult,
  describe: string,
  stale?: StaleFetch,
): Record<string, unknown> {
  return {
    kind: "Reconcile",
    revision: pass.revision,
    source: describe,
    stale: stale ? { remote: stale.remote, reason: stale.reason } : null,
    result: pass.result,
    lastGood: pass.lastGood,
    outputs: pass.targets,
    plan: pass.plan,
    diagnostics: pass.diagnostics.map(diagnosticJson),
  };
}

/**
 * Prints one pass and sets the exit code it calls for. `stale`: the remote could not be fetched
 * and the pass ran on the last fetched revision — a step failed, so exit 3 unless worse.
 */
export async function reportPass(
  ctx: CliContext,
  opts: ReconcileOptions,
  pass: PassResult,
  describe: string,
  stale?: StaleFetch,
): Promise<void> {
  if (pass.result === "invalid") {
    const roots = pass.diagnostics.filter((d) => !d.followsFrom);
    for (const d of roots) eprintln(ctx, formatDiagnostic(d));
    eprintln(ctx, `${errorCount(pass.diagnostics)}; run "lab validate" for details`);
  }
  await emit(
    ctx,
    opts.output,
    () => passJson(pass, describe, stale),
    () => passText(pass, describe, ctx.out),
  );
  const failed = pass.result === "failed" || stale !== undefined;
  ctx.exitCode = pass.result === "invalid" ? 1 : failed ? EXIT_APPLY_FAILED : 0;
}

function passCommand(ctx: CliContext, name: "reconcile" | "apply"): Command {
  const cmd = new Command(name)
    .description(
      name === "reconcile"
        ? "one reconcile pass: fetch the branch, check it, plan it against what is applied, apply it to every output, record it"
        : "apply the repo to every output (the same pass as reconcile, on the repo as --repo names it)",
    )
    .addOption(outputOption(["text", "json", "yaml"]))
    .option(
      "--branch <name>",
      "the branch to apply (default: the remote's default branch)",
      "default",
    )
    .option(
      "--state <path>",
      "the SQLite state store (default: ~/.lab/state.db; LAB_DATABASE_URL for PostgreSQL)",
    )
    .option("--worktree", "read a local folder's files as they are, not its last commit")
    .addOption(new Option("--once", "one pass, then exit (the default)").default(true))
    .option("--watch", "with a local folder: a pass on every change of its files (debounced)")
    .addHelpText(
      "after",
      "\n--repo is a Git remote (http(s)://, file://; LAB_GIT_TOKEN for a token), a local Git repo\n" +
        "or a folder in one (read at the branch's commit), or a plain folder (read as it is).\n" +
        "Outputs and how their tools are told come from lab.outputs (docs/apply.md); by default\n" +
        "every renderer's files go to .lab/outputs/<renderer> in the repo folder.\n" +
        "Exit codes: 0 applied or nothing to do, 1 the revision has errors (nothing applied, the\n" +
        "last good revision stays), 3 an apply step failed, or the remote could not be fetched\n" +
        "(after retries; the last fetched revision was reconciled, with a warning).\n" +
        examples(
          `lab --repo examples/infra-repo ${name}`,
          `lab --repo https://git.example.com/infra.git ${name} --branch main -o json`,
          `lab --repo ~/infra ${name} --worktree --watch`,
        ),
    )
    .action(async (opts: ReconcileOptions, self: Command) => {
      const holder = `${hostname()}:${process.pid}`;
      // Loaded on use: the state store, Git and the pipeline stay out of other verbs' start.
      const { runPass, watchPasses } = await import("./reconcile-run.js");
      if (opts.watch) return watchPasses(ctx, self, { ...opts, worktree: true }, holder);
      await runPass(ctx, self, opts, holder, name === "apply" ? "cli-apply" : "cli");
    });
  return cmd;
}

export function reconcileCommand(ctx: CliContext): Command {
  return passCommand(ctx, "reconcile");
}

export function applyCommand(ctx: CliContext): Command {
  return passCommand(ctx, "apply");
}
