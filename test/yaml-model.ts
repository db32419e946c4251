/**
 * Resolved models for renderer and CLI tests, built from YAML through the real pipeline (load,
 * validate, resolve), so a test sees exactly what the renderers see in production.
 */
import { formatDiagnostic, type Diagnostic } from "../core/diagnostics.js";
import type { ResolvedModel } from "../core/model.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";
import { deepFreeze } from "./deep-freeze.js";

export interface YamlModel {
  model: ResolvedModel;
  /** Warnings (a model is only returned when there are no errors). */
  diagnostics: Diagnostic[];
}

/**
 * Files held in memory (a single string is `repo.yaml`) through load, validate and resolve. The
 * model is frozen deep, as every consumer must treat it: a renderer or a command that writes to
 * it fails its tests.
 */
export async function checkYaml(
  files: string | Readonly<Record<string, string>>,
): Promise<YamlModel> {
  const source = memorySource(typeof files === "string" ? { "repo.yaml": files } : { ...files });
  const { model, diagnostics } = await checkRepo(source);
  if (!model) {
    const errors = diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new Error(`test repo has errors:\n${errors.join("\n")}`);
  }
  return { model: deepFreeze(model), diagnostics };
}

/** The resolved model of a valid repo held in memory; errors in it fail the test. */
export async function modelFromYaml(
  files: string | Readonly<Record<string, string>>,
): Promise<ResolvedModel> {
  return (await checkYaml(files)).model;
}
