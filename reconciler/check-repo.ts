/**
 * Load, validate and, when the repo has no errors, resolve: what `lab validate` and every later
 * stage start from. With `render`, the renderers run too and what they refuse is reported
 * (a repo that validates must also render). Diagnostics come root causes first.
 */
import { hasErrors, type Diagnostic } from "../core/diagnostics.js";
import type { FileSource } from "../core/file-source.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import { orderByCause } from "./consequences.js";
import { loadRepo, type LoadOptions } from "./load/load-repo.js";
import { partialRepo } from "./partial.js";
import { renderAll } from "./render.js";
import { repoRootProblem } from "./repo-root.js";
import { resolve } from "./resolve/resolve.js";
import { validate } from "./validate/validate.js";

export interface CheckedRepo {
  repo: LoadedRepo;
  /**
   * Every diagnostic of every stage that ran: the root causes sorted (compareDiagnostics), then
   * those that follow from a file that did not load (marked with `followsFrom`), sorted.
   */
  diagnostics: Diagnostic[];
  /** How many diagnostics follow from another. */
  consequences: number;
  /** The resolved model; null when any stage found errors. */
  model: ResolvedModel | null;
  /**
   * With `partial`, when the repo has errors: a model resolved from what loaded (values the
   * schema refused left out), to answer questions about a broken repo. Never rendered or applied.
   */
  partial: ResolvedModel | null;
}

export interface CheckOptions extends LoadOptions {
  /** Also run every renderer and report its diagnostics (the model is kept either way). */
  render?: boolean;
  /** When the repo has errors, resolve what loaded anyway (see CheckedRepo.partial). */
  partial?: boolean;
}

export async function checkRepo(
  source: FileSource,
  options: CheckOptions = {},
): Promise<CheckedRepo> {
  const loaded = await loadRepo(source, options);
  const repo = loaded.value;
  const notRepo = repoRootProblem(source.description, repo.files);
  if (notRepo) return { repo, diagnostics: [notRepo], consequences: 0, model: null, partial: null };
  const diagnostics = [...loaded.diagnostics, ...validate(repo)];
  let model: ResolvedModel | null = null;
  if (!hasErrors(diagnostics)) {
    const resolved = resolve(repo);
    for (const d of resolved.diagnostics) diagnostics.push(d);
    if (!hasErrors(resolved.diagnostics)) model = resolved.value;
  }
  if (model && options.render) {
    for (const d of renderAll(model).diagnostics) diagnostics.push(d);
  }
  const partial = !model && options.partial ? resolvePartial(repo, diagnostics) : null;
  return { repo, ...orderByCause(diagnostics, repo.unloaded), model, partial };
}

/** What loaded, resolved; null if even that fails (the caller then answers nothing). */
function resolvePartial(
  repo: LoadedRepo,
  diagnostics: readonly Diagnostic[],
): ResolvedModel | null {
  try {
    return resolve(partialRepo(repo, diagnostics)).value;
  } catch {
    return null;
  }
}
