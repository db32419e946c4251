/**
 * Content ids. A file's is git's blob id (sha1 of `blob <length>\0` and the bytes), so a file in a
 * git tree and the same file in a folder have the same id. A repo's is a hash over the path and
 * blob id of every config candidate and Puppet file: two folders (or two revisions) with the same
 * files have the same id, and any change to one of them gives another. Cheap: listing, reading
 * and hashing, no parsing; a source that lists ids (a git tree) is not even read.
 */
import { createHash } from "node:crypto";
import type { FileEntry, FileSource } from "../../core/file-source.js";
import { fileKind } from "./select-files.js";

/** Git's blob id of a file's bytes, hex. */
export function blobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The id the source lists for a file, when it lists one. */
function listedId(entry: FileEntry): string | undefined {
  const id = (entry as { id?: unknown }).id;
  return typeof id === "string" && /^[0-9a-f]{40}$/.test(id) ? id : undefined;
}

/** The blob id of every file that may be config or Puppet code, by path (sorted). */
export async function inputBlobIds(
  source: FileSource,
  signal?: AbortSignal,
): Promise<{ ids: Map<string, string>; unreadable: string[] }> {
  const listing = await source.list(signal);
  const entries = listing.files
    .filter((f) => fileKind(f.path) !== null)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const ids = new Map<string, string>();
  const found = await Promise.all(
    entries.map(async (entry) => {
      const listed = listedId(entry);
      if (listed) return listed;
      signal?.throwIfAborted();
      return blobId(await source.read(entry.path, signal));
    }),
  );
  entries.forEach((entry, i) => ids.set(entry.path, found[i]!));
  const unreadable = listing.unreadable.map((u) => u.path).sort();
  return { ids, unreadable };
}

/** The repo's content id from its files' blob ids. */
export function repoIdOf(ids: ReadonlyMap<string, string>, unreadable: readonly string[]): string {
  const hash = createHash("sha256");
  // What could not be read makes the id differ from that of a folder where it could.
  for (const path of unreadable) hash.update(`unreadable\0${path}\0`);
  for (const [path, id] of ids) hash.update(`${path}\0${id}\0`);
  return hash.digest("hex");
}

export async function contentId(source: FileSource, signal?: AbortSignal): Promise<string> {
  const { ids, unreadable } = await inputBlobIds(source, signal);
  return repoIdOf(ids, unreadable);
}
