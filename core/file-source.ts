/**
 * Where the loader takes a repo's files from: a directory today, a git tree object later.
 * Paths are relative to the repo root with forward slashes.
 */
export interface FileEntry {
  path: string;
  size: number;
  /**
   * The content id: git's blob id of the bytes (sha1 of `blob <size>\0` + bytes, hex), the same
   * for a file in a folder and in a commit. Absent where the source could not compute it.
   */
  id?: string;
}

/** A part of the tree the source could not list or examine: it may hold files lab never saw. */
export interface UnreadableEntry {
  /** Relative to the root; "." for the root itself. */
  path: string;
  kind: "directory" | "file";
  /** Why, in a few words (e.g. `permission denied (EACCES)`). */
  reason: string;
}

export interface FileListing {
  /** Every regular file under the root (the loader filters), in any order. */
  files: FileEntry[];
  /** What could not be listed or examined, in any order; the loader reports it. */
  unreadable: UnreadableEntry[];
}

export interface FileSource {
  list(signal?: AbortSignal): Promise<FileListing>;
  /** The file's bytes as stored; the loader decodes them (config files are UTF-8). */
  read(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** A description for messages, e.g. the directory or `git:<rev>`. */
  readonly description: string;
}
