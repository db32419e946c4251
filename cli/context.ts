/** What every verb gets: the IO, the styles, and the repo behind `--repo` / LAB_REPO. */
import { stat } from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import type { Command } from "commander";
import type { Diagnostic } from "../core/diagnostics.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import { LabError } from "../core/errors.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import type { CheckOptions } from "../reconciler/check-repo.js";
import type { CliIo } from "./io.js";
import { styleFor, type Style } from "./printers/color.js";

export interface CliContext {
  io: CliIo;
  /** Styles for stdout and stderr: each stream decides its own colour. */
  out: Style;
  err: Style;
  /** LAB_DEBUG=1: stack traces for internal errors. */
  debug: boolean;
  /** What the run exits with when no error is thrown; a verb sets 1 for "ran, found errors". */
  exitCode: number;
}

export function makeContext(io: CliIo): CliContext {
  return {
    io,
    out: styleFor(io.stdout, io.env),
    err: styleFor(io.stderr, io.env),
    debug: io.env.LAB_DEBUG === "1",
    exitCode: 0,
  };
}

export function println(ctx: CliContext, text: string): void {
  ctx.io.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

export function eprintln(ctx: CliContext, text: string): void {
  ctx.io.stderr.write(text.endsWith("\n") ? text : text + "\n");
}

/** The repo root: `--repo`, else LAB_REPO, else the working directory. */
export function repoRoot(ctx: CliContext, cmd: Command): string {
  const { repo } = cmd.optsWithGlobals<{ repo?: string }>();
  const base = ctx.io.cwd ?? process.cwd();
  return resolvePath(base, repo ?? (ctx.io.env.LAB_REPO || "."));
}

export interface CheckedRepo {
  root: string;
  repo: LoadedRepo;
  diagnostics: Diagnostic[];
  model: ResolvedModel | null;
}

/**
 * Load, validate and resolve the repo. The pipeline modules are imported here, on first use,
 * so that light verbs (`enc`, `--help`, `--version`) start without loading ajv and the resolver.
 */
export async function checkRepoAt(
  ctx: CliContext,
  cmd: Command,
  options: CheckOptions = {},
): Promise<CheckedRepo> {
  const root = repoRoot(ctx, cmd);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) {
    throw new LabError("IO", `repo directory "${root}" does not exist (set --repo or LAB_REPO)`);
  }
  const [{ checkRepo }, { dirSource }] = await Promise.all([
    import("../reconciler/check-repo.js"),
    import("../adapters/fs/dir-source.js"),
  ]);
  const checked = await checkRepo(dirSource(root), options);
  return { root, ...checked };
}

/** A repo with errors stops every verb but `validate`: its errors go to stderr, exit 1. */
export async function loadModel(
  ctx: CliContext,
  cmd: Command,
): Promise<CheckedRepo & { model: ResolvedModel }> {
  const checked = await checkRepoAt(ctx, cmd);
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !checked.model) {
    for (const d of errors) eprintln(ctx, formatDiagnostic(d));
    const n = errors.length;
    throw new LabError(
      "INVALID_REPO",
      `the repo has ${n} error${n === 1 ? "" : "s"}; run "lab validate" for details`,
    );
  }
  return { ...checked, model: checked.model };
}
