/**
 * What a rendered tree of the whole repo was made from, so that a render with nothing changed
 * can reuse it: the input id (the repo's content id and lab's code id, see docs/rendering.md),
 * recorded per renderer folder in the tree's manifest.
 */
import { repoDirSource } from "../fs/dir-source.js";
import { contentId } from "../../reconciler/load/content-id.js";
import { codeId } from "./code-id.js";
import { sha256, type TreeRecord, type TreeState } from "./tree-state.js";

/** Changes with any file the load reads, and with lab's own code. */
export async function inputId(root: string, signal?: AbortSignal): Promise<string> {
  const [repo, code] = await Promise.all([contentId(repoDirSource(root), signal), codeId()]);
  return sha256(`${repo}\0${code}`);
}

/**
 * Whether the tree already holds what rendering `names` from input `id` would write: a tree of
 * the whole repo whose every such folder was rendered from `id`, and no file changed by hand.
 */
export function reusable(state: TreeState, names: readonly string[], id: string): boolean {
  if (state.scope?.kind !== "full" || state.drifted) return false;
  return names.every((name) => state.sources[name] === id);
}

/**
 * The manifest record of a tree of the whole repo after rendering `names` from input `id` (null:
 * unknown); the folders of the other renderers keep what they were rendered from.
 */
export function fullRecord(
  state: TreeState,
  names: readonly string[],
  id: string | null,
  servers: number,
): TreeRecord {
  const sources: Record<string, string> = { ...state.sources };
  for (const name of names) {
    if (id === null) delete sources[name];
    else sources[name] = id;
  }
  return { scope: { kind: "full" }, sources, servers };
}

/** Whether `record` says something about the tree that its manifest does not yet. */
export function recordChanged(state: TreeState, record: TreeRecord): boolean {
  if (state.scope?.kind !== record.scope.kind || state.servers !== record.servers) return true;
  const before = Object.entries(state.sources).sort();
  const after = Object.entries(record.sources).sort();
  return JSON.stringify(before) !== JSON.stringify(after);
}
