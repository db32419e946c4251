/**
 * The content id of what a repo's load would read: a hash over the path and bytes of every
 * config candidate and Puppet file, so two folders (or two revisions) with the same files have the
 * same id, and any change to one of them gives another. Cheap: reading and hashing, no parsing.
 */
import { createHash } from "node:crypto";
import type { FileSource } from "../../core/file-source.js";
import { fileKind } from "./select-files.js";

export async function contentId(source: FileSource, signal?: AbortSignal): Promise<string> {
  const listing = await source.list(signal);
  const paths = listing.files
    .map((f) => f.path)
    .filter((p) => fileKind(p) !== null)
    .sort();
  const hash = createHash("sha256");
  // What could not be read makes the id differ from that of a folder where it could.
  for (const u of [...listing.unreadable].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`unreadable\0${u.path}\0`);
  }
  for (const path of paths) {
    signal?.throwIfAborted();
    const bytes = await source.read(path, signal);
    const blob = createHash("sha256").update(bytes).digest("hex");
    hash.update(`${path}\0${blob}\0`);
  }
  return hash.digest("hex");
}
