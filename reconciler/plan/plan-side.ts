/** One side of a plan from a checked repo: its model rendered by every renderer. */
import type { LoadedRepo, ResolvedModel } from "../../core/model.js";
import { renderAll } from "../render.js";
import type { SecretText } from "../secrets/sops-values.js";
import type { PlanSide } from "./plan-types.js";

/** `secretTexts`: the side's SOPS files (readSecretTexts), for the plan's value changes. */
export function planSide(
  revision: string,
  repo: LoadedRepo,
  model: ResolvedModel,
  secretTexts?: readonly SecretText[],
): PlanSide {
  const side: PlanSide = {
    revision,
    model,
    artifacts: renderAll(model).value,
    sources: repo.sources,
    puppet: repo.puppet,
  };
  return secretTexts ? { ...side, secretTexts } : side;
}
