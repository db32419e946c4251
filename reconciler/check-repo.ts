/**
 * Load, validate and, when the repo has no errors, resolve: what `lab validate` and every later
 * stage start from. With `render`, the renderers run too and what they refuse is reported
 * (a repo that validates must also render).
 */
import { compareDiagnostics, hasErrors, type Diagnostic } from "../core/diagnostics.js";
import type { FileSource } from "../core/file-source.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import { loadRepo, type LoadOptions } from "./load/load-repo.js";
import { renderAll } from "./render.js";
import { resolve } from "./resolve/resolve.js";
import { validate } from "./validate/validate.js";

export interface CheckedRepo {
  repo: LoadedRepo;
  /** Every diagnostic of every stage that ran, sorted with compareDiagnostics. */
  diagnostics: Diagnostic[];
  /** The resolved model; null when any stage found errors. */
  model: ResolvedModel | null;
}

export interface CheckOptions extends LoadOptions {
  /** Also run every renderer and report its diagnostics (the model is kept either way). */
  render?: boolean;
}

export async function checkRepo(
  source: FileSource,
  options: CheckOptions = {},
): Promise<CheckedRepo> {
  const loaded = await loadRepo(source, options);
  const repo = loaded.value;
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
  return { repo, diagnostics: diagnostics.sort(compareDiagnostics), model };
}
