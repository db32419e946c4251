/** What every verb gets: the IO, the styles, and the repo behind `--repo` / LAB_REPO. */
import { stat } from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import type { Command } from "commander";
import type { DiskCache } from "../adapters/cache/disk-cache.js";
import type { Diagnostic } from "../core/diagnostics.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import { LabError } from "../core/errors.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import type { CheckOptions } from "../reconciler/check-repo.js";
import { ioReason } from "../core/io-reason.js";
import { diagnosticJson } from "./diagnostic-json.js";
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
  /** Root causes first, then those that follow from them (marked `followsFrom`). */
  diagnostics: Diagnostic[];
  consequences: number;
  model: ResolvedModel | null;
  partial: ResolvedModel | null;
}

/** A repo with nothing in it: what a verb sees when the repo folder cannot be read at all. */
function nothingLoaded(): LoadedRepo {
  return {
    config: {},
    files: [],
    sources: { locate: () => ({ file: ".", line: 1, col: 1 }) },
    puppet: { classes: {} },
    unloaded: [],
  };
}

/** LAB012 for a `--repo` that is missing or not a folder, or null when it is a folder. */
async function rootDiagnostic(root: string): Promise<Diagnostic | null> {
  const info = await stat(root).catch((err: unknown) => err as NodeJS.ErrnoException);
  if (!(info instanceof Error) && info.isDirectory()) return null;
  const why =
    info instanceof Error
      ? info.code === "ENOENT" || info.code === "ENOTDIR"
        ? "does not exist"
        : `cannot be read: ${ioReason(info)}`
      : "is a file, not a folder";
  return {
    file: root,
    line: 1,
    col: 1,
    severity: "error",
    code: "LAB012",
    pointer: "",
    message: `the repo ${root} ${why}; a config repo is a folder of YAML files`,
    fix: "point --repo (or LAB_REPO) at the folder of your config repo",
  };
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
  const problem = await rootDiagnostic(root);
  if (problem) {
    const repo = nothingLoaded();
    return { root, repo, diagnostics: [problem], consequences: 0, model: null, partial: null };
  }
  const [{ repoDirSource }, cache] = await Promise.all([
    import("../adapters/fs/dir-source.js"),
    openCache(ctx, cmd),
  ]);
  const source = repoDirSource(root);
  if (!cache) {
    const { checkRepo } = await import("../reconciler/check-repo.js");
    return { root, ...(await checkRepo(source, options)) };
  }
  const { checkRepoCached } = await import("../adapters/cache/cached-check.js");
  const { checked } = await checkRepoCached(source, root, cache, options);
  return extend(checked, { root });
}

/**
 * `base` with more properties, keeping its getters as getters: a cached check reads its parts
 * (repo, model) only when a verb first uses them, which spreading would defeat.
 */
function extend<T extends object, U extends object>(base: T, more: U): Omit<T, keyof U> & U {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base));
  return Object.defineProperties(out, Object.getOwnPropertyDescriptors(more)) as Omit<T, keyof U> &
    U;
}

/**
 * The persistent cache (docs/caching.md), or null with `--no-cache` or LAB_NO_CACHE=1. Results
 * are the same with and without it; a directory that cannot be written turns it off.
 */
export async function openCache(ctx: CliContext, cmd: Command): Promise<DiskCache | null> {
  const { cache } = cmd.optsWithGlobals<{ cache?: boolean }>();
  if (cache === false || ctx.io.env.LAB_NO_CACHE === "1") return null;
  const [{ defaultCacheDir, openDiskCache }, { codeId }] = await Promise.all([
    import("../adapters/cache/disk-cache.js"),
    import("../adapters/output/code-id.js"),
  ]);
  // A cache directory the user named and lab cannot write is worth a warning; the default one
  // (under a home that may not be writable, e.g. a service account's) is silently left off.
  const named = Boolean(ctx.io.env.LAB_CACHE_DIR);
  return openDiskCache({
    dir: defaultCacheDir(ctx.io.env),
    codeId: await codeId(),
    ...(named
      ? { onWarning: (message) => eprintln(ctx, `${ctx.err.yellow("warning:")} ${message}`) }
      : {}),
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `3 errors (and 17 that follow from them)`. */
export function errorCount(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const follow = errors.filter((d) => d.followsFrom).length;
  const roots = errors.length - follow;
  const tail = follow ? ` (and ${follow} that follow from ${roots === 1 ? "it" : "them"})` : "";
  return plural(roots, "error") + tail;
}

export interface Answer extends CheckedRepo {
  model: ResolvedModel;
  /** True when the repo has errors and the model is what loaded (`partial`). */
  incomplete: boolean;
}

/**
 * The model to answer from. A repo with errors stops `render` and other writing verbs (its errors
 * go to stderr, exit 1); verbs that only read (`answerBroken`) answer from what loaded, after a
 * warning at the top that the answer may be incomplete.
 */
export async function loadModel(
  ctx: CliContext,
  cmd: Command,
  options: { answerBroken?: boolean } = {},
): Promise<Answer> {
  const checked = await checkRepoAt(ctx, cmd, { partial: options.answerBroken === true });
  if (checked.model) return extend(checked, { model: checked.model, incomplete: false });
  const count = errorCount(checked.diagnostics);
  if (checked.partial) {
    eprintln(
      ctx,
      `${ctx.err.yellow("warning:")} the repo has ${count}; this answer comes from what loaded and may be incomplete (run "lab validate")`,
    );
    // The answer is printed, and the exit code still says the repo is broken (as kubectl does
    // for an answer with errors).
    ctx.exitCode = 1;
    return extend(checked, { model: checked.partial, incomplete: true });
  }
  for (const d of checked.diagnostics) {
    if (d.severity === "error" && !d.followsFrom) eprintln(ctx, formatDiagnostic(d));
  }
  throw new LabError("INVALID_REPO", `the repo has ${count}; run "lab validate" for details`);
}

/** JSON/YAML output of an answer: the diagnostics beside the data when the repo has errors. */
export function withDiagnostics<T extends object>(answer: Answer, data: T): T {
  if (!answer.incomplete) return data;
  return { ...data, diagnostics: answer.diagnostics.map(diagnosticJson) };
}
