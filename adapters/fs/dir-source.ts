/** A FileSource over a directory on disk. */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { LabError } from "../../core/errors.js";
import type { FileEntry, FileSource } from "../../core/file-source.js";

/** Folders never worth walking: they are never config and can be huge. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set([".git", "node_modules"]);

/** How many directories are read at once. */
const CONCURRENCY = 16;

/**
 * Every regular file under `root`: `.git/` and `node_modules/` are skipped without being walked,
 * symbolic links are never followed, paths use forward slashes.
 */
export function dirSource(root: string): FileSource {
  const base = resolve(root);
  return {
    description: base,
    list: (signal) => listFiles(base, signal),
    read: (path, signal) => readText(base, path, signal),
  };
}

async function listFiles(base: string, signal?: AbortSignal): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  let pending: string[] = [""];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const batch = pending.slice(0, CONCURRENCY);
    pending = pending.slice(CONCURRENCY);
    const found = await Promise.all(batch.map((dir) => listDir(base, dir, out)));
    for (const dirs of found) pending = pending.concat(dirs);
  }
  signal?.throwIfAborted();
  return out;
}

/** Adds the regular files of one directory to `out`; returns its subdirectories. */
async function listDir(base: string, dir: string, out: FileEntry[]): Promise<string[]> {
  const abs = dir === "" ? base : join(base, dir);
  let entries;
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (cause) {
    throw new LabError("IO", `cannot list directory ${abs}`, { cause });
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
  const sizes = await Promise.all(files.map((rel) => fileSize(base, rel)));
  files.forEach((path, i) => out.push({ path, size: sizes[i] ?? 0 }));
  return dirs;
}

async function fileSize(base: string, rel: string): Promise<number> {
  try {
    return (await lstat(join(base, rel))).size;
  } catch (cause) {
    throw new LabError("IO", `cannot stat ${rel} in ${base}`, { cause });
  }
}

function readText(base: string, path: string, signal?: AbortSignal): Promise<string> {
  const abs = resolve(base, path);
  if (!abs.startsWith(base + sep)) {
    return Promise.reject(new LabError("IO", `path ${path} is outside ${base}`));
  }
  return readFile(abs, { encoding: "utf8", signal });
}
