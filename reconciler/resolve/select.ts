/** `select`: the servers a selector picks from a resolved model (the CLI's selector flags). */
import type { Member, ResolvedModel, Selector } from "../../core/model.js";
import { evaluateSelector } from "./evaluate.js";
import { universeFromModel } from "./universe.js";

/** The final members of `selector` over `model`, sorted by name, each with its provenance. */
export function select(model: ResolvedModel, selector: Selector): Member[] {
  return evaluateSelector(universeFromModel(model), selector).members;
}
