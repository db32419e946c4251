/** One side of a plan from a checked repo: its model rendered by every renderer. */
import type { LoadedRepo, ResolvedModel } from "../../core/model.js";
import { renderAll } from "../render.js";
import type { PlanSide } from "./plan-types.js";

export function planSide(revision: string, repo: LoadedRepo, model: ResolvedModel): PlanSide {
  return { revision, model, artifacts: renderAll(model).value, sources: repo.sources };
}
