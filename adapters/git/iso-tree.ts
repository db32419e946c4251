/** A commit's tree, recursively, through isomorphic-git (readTree; sizes from the blobs). */
import * as fs from "node:fs";
import * as git from "isomorphic-git";
import type { TreeEntry } from "./git-tree.js";
import { isListedFile } from "./git-tree.js";

/** How many blobs are read at once to learn their sizes. */
const CONCURRENCY = 16;

/**
 * Every entry under a tree (`root`: the root tree's id). isomorphic-git has no `ls-tree -l`: a
 * blob's size is known by reading it, so the files a listing keeps are read here once.
 */
export async function isoTreeEntries(
  gitdir: string,
  root: string,
  cache: object,
  signal?: AbortSignal,
): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const pending: Array<{ oid: string; prefix: string }> = [{ oid: root, prefix: "" }];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const { oid, prefix } = pending.pop()!;
    const { tree } = await git.readTree({ fs, gitdir, oid, cache });
    for (const e of tree) {
      const path = prefix + e.path;
      if (e.type === "tree") pending.push({ oid: e.oid, prefix: `${path}/` });
      else entries.push({ mode: e.mode, path, id: e.oid, size: 0 });
    }
  }
  const files = entries.filter(isListedFile);
  for (let i = 0; i < files.length; i += CONCURRENCY) {
    signal?.throwIfAborted();
    await Promise.all(
      files.slice(i, i + CONCURRENCY).map(async (entry) => {
        const { blob } = await git.readBlob({ fs, gitdir, oid: entry.id, cache });
        entry.size = blob.length;
      }),
    );
  }
  return entries;
}
