/**
 * Where the loader takes a repo's files from: a directory today, a git tree object later.
 * Paths are relative to the repo root with forward slashes.
 */
export interface FileEntry {
  path: string;
  size: number;
}

export interface FileSource {
  /** Every regular file under the root (the loader filters), in any order. */
  list(signal?: AbortSignal): Promise<FileEntry[]>;
  /** The file's bytes as UTF-8 text. */
  read(path: string, signal?: AbortSignal): Promise<string>;
  /** A description for messages, e.g. the directory or `git:<rev>`. */
  readonly description: string;
}
