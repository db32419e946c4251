/**
 * What writing a rendered tree changes, decided by content hashes: the artifacts' hashes against
 * the hashes of the files in the tree now. Pure.
 */
import { cmp } from "../core/diagnostics.js";

export interface TreeDiff {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
}

/**
 * `current` maps each file in the tree to its sha256; `wanted` is the new tree's files. A file
 * not wanted is removed when `owned(path)` (the folders of the renderers that ran), else kept.
 */
export function diffTree(
  current: ReadonlyMap<string, string>,
  wanted: readonly { path: string; hash: string }[],
  owned: (path: string) => boolean,
): TreeDiff {
  const diff: TreeDiff = { added: [], changed: [], removed: [], unchanged: [] };
  const paths = new Set<string>();
  for (const file of wanted) {
    paths.add(file.path);
    const hash = current.get(file.path);
    if (hash === undefined) diff.added.push(file.path);
    else if (hash === file.hash) diff.unchanged.push(file.path);
    else diff.changed.push(file.path);
  }
  for (const path of current.keys()) if (!paths.has(path) && owned(path)) diff.removed.push(path);
  for (const list of [diff.added, diff.changed, diff.removed, diff.unchanged]) list.sort(cmp);
  return diff;
}

export function hasChanges(diff: TreeDiff): boolean {
  return diff.added.length + diff.changed.length + diff.removed.length > 0;
}
