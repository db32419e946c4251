/** The render stage: every selected renderer over the resolved model. Pure and synchronous. */
import { compareDiagnostics, type Diagnosed, type Diagnostic } from "../core/diagnostics.js";
import { LabError } from "../core/errors.js";
import type { ResolvedModel } from "../core/model.js";
import { RENDERER_NAMES, type Artifact, type RendererName } from "../core/renderer.js";
import { RENDERERS } from "../renderers/registry.js";

/**
 * The artifacts of the named renderers (all of them by default), in registry order, and their
 * diagnostics sorted. An artifact outside its renderer's own folder is a bug, not user input.
 */
export function renderAll(
  model: ResolvedModel,
  names: readonly RendererName[] = RENDERER_NAMES,
): Diagnosed<Artifact[]> {
  const artifacts: Artifact[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const renderer = RENDERERS.get(name);
    if (!renderer) throw new LabError("INTERNAL", `renderer "${name}" is not registered`);
    const result = renderer.render(model);
    for (const a of result.value) {
      const parts = a.path.split("/");
      if (parts[0] !== name || parts.some((p) => p === "" || p === "." || p === "..")) {
        throw new LabError("INTERNAL", `renderer "${name}" produced the path "${a.path}"`);
      }
      artifacts.push(a);
    }
    for (const d of result.diagnostics) diagnostics.push(d);
  }
  return { value: artifacts, diagnostics: diagnostics.sort(compareDiagnostics) };
}
