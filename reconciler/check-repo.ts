/** Load, validate and, when the repo has no errors, resolve: what `lab validate` and every later stage start from. */
import { compareDiagnostics, hasErrors, type Diagnostic } from "../core/diagnostics.js";
import type { FileSource } from "../core/file-source.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import { loadRepo, type LoadOptions } from "./load/load-repo.js";
import { resolve } from "./resolve/resolve.js";
import { validate } from "./validate/validate.js";

export interface CheckedRepo {
  repo: LoadedRepo;
  /** Every diagnostic of every stage that ran, sorted with compareDiagnostics. */
  diagnostics: Diagnostic[];
  /** The resolved model; null when any stage found errors. */
  model: ResolvedModel | null;
}

export async function checkRepo(
  source: FileSource,
  options: LoadOptions = {},
): Promise<CheckedRepo> {
  const loaded = await loadRepo(source, options);
  const repo = loaded.value;
  const diagnostics = [...loaded.diagnostics, ...validate(repo)];
  let model: ResolvedModel | null = null;
  if (!hasErrors(diagnostics)) {
    const resolved = resolve(repo);
    diagnostics.push(...resolved.diagnostics);
    if (!hasErrors(resolved.diagnostics)) model = resolved.value;
  }
  return { repo, diagnostics: diagnostics.sort(compareDiagnostics), model };
}
