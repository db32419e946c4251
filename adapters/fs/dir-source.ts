/** A FileSource over a directory on disk. */
import { lstat, readdir, readFile } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { join, resolve, sep } from "node:path";
import { LabError } from "../../core/errors.js";
import { gitBlobId } from "../../core/git-source.js";
import type { FileListing, FileSource, UnreadableEntry } from "../../core/file-source.js";
import { ioReason } from "../../reconciler/load/io-reason.js";
import { fileKind, mayHoldInput } from "../../reconciler/load/select-files.js";

/** Folders never worth walking: they are never config and can be huge. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set([".git", "node_modules"]);

/** How many directories are read at once. */
const CONCURRENCY = 16;

/** What a listing walks and reads. */
export interface DirSourceOptions {
  /** Whether to walk a folder (relative path); the root always is. Default: all but SKIPPED_DIRS. */
  descend?: (dir: string) => boolean;
  /** Whether a file is read for its content id; the others are listed with their size only. */
  identify?: (path: string) => boolean;
}

interface Walk {
  descend: (dir: string) => boolean;
  identify: (path: string) => boolean;
}

/**
 * Every regular file under `root`, with its size and content id (git's blob id): `.git/` and
 * `node_modules/` are skipped without being walked, symbolic links are never followed, paths use
 * forward slashes. A directory or file that cannot
 * be listed or examined is reported in the listing's `unreadable`; only a root that does not
 * exist (or is not a directory) rejects.
 */
export function dirSource(root: string, options: DirSourceOptions = {}): FileSource {
  const base = resolve(root);
  const walk: Walk = {
    descend: options.descend ?? (() => true),
    identify: options.identify ?? (() => true),
  };
  return {
    description: base,
    list: (signal) => listFiles(base, walk, signal),
    read: (path, signal) => readBytes(base, path, signal),
  };
}

/**
 * A config repo's folder as the loader reads it (docs/repo-format.md): folders that can hold no
 * config or Puppet code (dot-folders such as `.lab/` with the rendered outputs, `.git/`,
 * `node_modules/`) are not walked, and only config and Puppet files are read for their ids.
 */
export function repoDirSource(root: string): FileSource {
  return dirSource(root, { descend: mayHoldInput, identify: (path) => fileKind(path) !== null });
}

async function listFiles(base: string, walk: Walk, signal?: AbortSignal): Promise<FileListing> {
  const listing: FileListing = { files: [], unreadable: [] };
  let pending: string[] = [""];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const batch = pending.slice(0, CONCURRENCY);
    pending = pending.slice(CONCURRENCY);
    const found = await Promise.all(batch.map((dir) => listDir(base, dir, walk, listing)));
    for (const dirs of found) pending = pending.concat(dirs);
  }
  signal?.throwIfAborted();
  return listing;
}

function unreadable(path: string, kind: UnreadableEntry["kind"], err: unknown): UnreadableEntry {
  return { path: path === "" ? "." : path, kind, reason: ioReason(err) };
}

/** Adds the regular files of one directory to the listing; returns its subdirectories. */
async function listDir(
  base: string,
  dir: string,
  walk: Walk,
  listing: FileListing,
): Promise<string[]> {
  const abs = dir === "" ? base : join(base, dir);
  let entries: Dirent[];
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (dir === "" && (code === "ENOENT" || code === "ENOTDIR")) {
      throw new LabError("IO", `cannot list directory ${abs}`, { cause });
    }
    listing.unreadable.push(unreadable(dir, "directory", cause));
    return [];
  }
  const dirs: string[] = [];
  const files: string[] = [];
  for (const entry of entries) {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && walk.descend(rel)) dirs.push(rel);
    } else if (entry.isFile()) {
      files.push(rel);
    }
  }
  const examined = await mapLimit(files, CONCURRENCY, (rel) =>
    examine(join(base, rel), walk.identify(rel)),
  );
  files.forEach((path, i) => {
    const found = examined[i];
    if (found === undefined || found instanceof Error) {
      listing.unreadable.push(unreadable(path, "file", found));
    } else {
      listing.files.push({ path, ...found });
    }
  });
  return dirs;
}

/**
 * A file's size and content id (git's blob id, as `git hash-object` computes it). A file that can
 * be examined but not read keeps its size and has no id: the loader reports it when it reads it.
 */
async function examine(
  abs: string,
  identify: boolean,
): Promise<{ size: number; id?: string } | Error> {
  let size: number;
  try {
    size = (await lstat(abs)).size;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  if (!identify) return { size };
  try {
    const bytes = await readFile(abs);
    return { size: bytes.length, id: gitBlobId(bytes) };
  } catch {
    return { size };
  }
}

/** `fn` over `items`, at most `limit` at once, results in the order of `items`. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function readBytes(base: string, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  const abs = resolve(base, path);
  if (!abs.startsWith(base + sep)) {
    return Promise.reject(new LabError("IO", `path ${path} is outside ${base}`));
  }
  return readFile(abs, { signal });
}
