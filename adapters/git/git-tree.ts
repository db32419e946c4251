/** A commit's tree as a FileSource, over an implementation's own listing and blob reader. */
import { LabError } from "../../core/errors.js";
import type { FileEntry } from "../../core/file-source.js";
import type { GitTree } from "../../core/git-source.js";

/** An entry of a recursive tree listing, as git stores it. */
export interface TreeEntry {
  /** `100644`, `100755`, `120000` (symlink), `160000` (submodule). */
  mode: string;
  path: string;
  id: string;
  size: number;
}

/**
 * Whether a tree entry is a file a folder's listing would hold: regular files only (no symlinks,
 * no submodules), nothing under `node_modules/` — the same files `dirSource` lists.
 */
export function isListedFile(entry: Pick<TreeEntry, "mode" | "path">): boolean {
  if (entry.mode !== "100644" && entry.mode !== "100755") return false;
  return !entry.path.split("/").includes("node_modules");
}

export interface TreeParts {
  revision: string;
  description: string;
  /** Every entry of the tree, recursively (the helper filters). */
  entries(signal?: AbortSignal): Promise<TreeEntry[]>;
  /** A blob's bytes by id; undefined when the object store lacks it. */
  blob(id: string, signal?: AbortSignal): Promise<Uint8Array | undefined>;
}

/** The tree as a FileSource; the listing is read once and gives `read()` its blob ids. */
export function gitTree(parts: TreeParts): GitTree {
  let listing: Promise<FileEntry[]> | undefined;
  function files(signal?: AbortSignal): Promise<FileEntry[]> {
    listing ??= parts
      .entries(signal)
      .then((entries) =>
        entries.filter(isListedFile).map(({ path, size, id }) => ({ path, size, id })),
      );
    // A failed (or aborted) listing is not kept: the next call asks again.
    listing.catch(() => (listing = undefined));
    return listing;
  }
  let ids: Map<string, string> | undefined;
  return {
    revision: parts.revision,
    description: parts.description,
    async list(signal) {
      signal?.throwIfAborted();
      return { files: (await files(signal)).map((f) => ({ ...f })), unreadable: [] };
    },
    async read(path, signal) {
      signal?.throwIfAborted();
      ids ??= new Map((await files(signal)).map((f) => [f.path, f.id!]));
      const id = ids.get(path);
      const bytes = id === undefined ? undefined : await parts.blob(id, signal);
      if (bytes === undefined) {
        throw new LabError("NOT_FOUND", `no file ${path} in ${parts.description}`);
      }
      return bytes;
    },
  };
}
