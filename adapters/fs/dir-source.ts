/** A FileSource over a directory on disk. */
import { lstat, readdir, readFile } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { join, resolve, sep } from "node:path";
import { LabError } from "../../core/errors.js";
import type { FileListing, FileSource, UnreadableEntry } from "../../core/file-source.js";
import { ioReason } from "../../reconciler/load/io-reason.js";

/** Folders never worth walking: they are never config and can be huge. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set([".git", "node_modules"]);

/** How many directories are read at once. */
const CONCURRENCY = 16;

/**
 * Every regular file under `root`: `.git/` and `node_modules/` are skipped without being walked,
 * symbolic links are never followed, paths use forward slashes. A directory or file that cannot
 * be listed or examined is reported in the listing's `unreadable`; only a root that does not
 * exist (or is not a directory) rejects.
 */
export function dirSource(root: string): FileSource {
  const base = resolve(root);
  return {
    description: base,
    list: (signal) => listFiles(base, signal),
    read: (path, signal) => readBytes(base, path, signal),
  };
}

async function listFiles(base: string, signal?: AbortSignal): Promise<FileListing> {
  const listing: FileListing = { files: [], unreadable: [] };
  let pending: string[] = [""];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const batch = pending.slice(0, CONCURRENCY);
    pending = pending.slice(CONCURRENCY);
    const found = await Promise.all(batch.map((dir) => listDir(base, dir, listing)));
    for (const dirs of found) pending = pending.concat(dirs);
  }
  signal?.throwIfAborted();
  return listing;
}

function unreadable(path: string, kind: UnreadableEntry["kind"], err: unknown): UnreadableEntry {
  return { path: path === "" ? "." : path, kind, reason: ioReason(err) };
}

/** Adds the regular files of one directory to the listing; returns its subdirectories. */
async function listDir(base: string, dir: string, listing: FileListing): Promise<string[]> {
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
      if (!SKIPPED_DIRS.has(entry.name)) dirs.push(rel);
    } else if (entry.isFile()) {
      files.push(rel);
    }
  }
  const sizes = await Promise.all(
    files.map((rel) =>
      lstat(join(base, rel)).then(
        (s) => s.size,
        (err: unknown) => err,
      ),
    ),
  );
  files.forEach((path, i) => {
    const size = sizes[i];
    if (typeof size === "number") listing.files.push({ path, size });
    else listing.unreadable.push(unreadable(path, "file", size));
  });
  return dirs;
}

function readBytes(base: string, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  const abs = resolve(base, path);
  if (!abs.startsWith(base + sep)) {
    return Promise.reject(new LabError("IO", `path ${path} is outside ${base}`));
  }
  return readFile(abs, { signal });
}
