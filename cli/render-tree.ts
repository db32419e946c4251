/**
 * Writing a rendered tree: compare with what is on disk, then replace the whole tree at once
 * (a complete new tree is built beside it and renamed into place), so a reader never sees a
 * half-written tree. Unchanged files are hard links to the old ones: same bytes, same mtime.
 */
import { randomBytes } from "node:crypto";
import {
  copyFile,
  link,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface TreeFile {
  path: string;
  content: string;
}

export interface TreeDiff {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
}

/** Every regular file under `root` (relative paths, forward slashes, sorted); none if missing. */
export async function listTree(root: string, signal?: AbortSignal): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return [];
      throw err;
    },
  );
  signal?.throwIfAborted();
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(root.length + 1)
        .split("\\")
        .join("/"),
    )
    .sort();
}

/**
 * What writing `files` changes in `root`. `owned(path)` says which existing files the new tree
 * replaces (the folders of the renderers that ran); other existing files are kept as they are.
 */
export async function diffTree(
  root: string,
  files: readonly TreeFile[],
  owned: (path: string) => boolean,
  signal?: AbortSignal,
): Promise<TreeDiff> {
  const existing = await listTree(root, signal);
  const wanted = new Map(files.map((f) => [f.path, f.content]));
  const diff: TreeDiff = { added: [], changed: [], removed: [], unchanged: [] };
  for (const path of existing) {
    const content = wanted.get(path);
    if (content === undefined) {
      if (owned(path)) diff.removed.push(path);
      continue;
    }
    const old = await readFile(join(root, path), { signal });
    if (old.equals(Buffer.from(content, "utf8"))) diff.unchanged.push(path);
    else diff.changed.push(path);
  }
  const have = new Set(existing);
  for (const f of files) if (!have.has(f.path)) diff.added.push(f.path);
  diff.added.sort();
  return diff;
}

async function carryOver(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
    const info = await stat(from);
    await utimes(to, info.atime, info.mtime);
  }
}

/**
 * Replace `root` with: the new `files`, plus the existing files that are not `owned` (kept).
 * Builds `<root>.tmp-<random>` beside it, then swaps it in with renames; on failure the old
 * tree stays and the temp dir is removed.
 */
export async function writeTree(
  root: string,
  files: readonly TreeFile[],
  diff: TreeDiff,
  owned: (path: string) => boolean,
  signal?: AbortSignal,
): Promise<void> {
  const parent = dirname(root);
  await mkdir(parent, { recursive: true });
  const suffix = randomBytes(6).toString("hex");
  const tmp = join(parent, `.${basename(root)}.tmp-${suffix}`);
  const old = join(parent, `.${basename(root)}.old-${suffix}`);
  const unchanged = new Set(diff.unchanged);
  try {
    for (const f of files) {
      signal?.throwIfAborted();
      const target = join(tmp, f.path);
      if (unchanged.has(f.path)) {
        await carryOver(join(root, f.path), target);
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content, { signal });
    }
    const wanted = new Set(files.map((f) => f.path));
    for (const path of await listTree(root, signal)) {
      if (!owned(path) && !wanted.has(path)) await carryOver(join(root, path), join(tmp, path));
    }
    await mkdir(tmp, { recursive: true });
    const hadOld = await stat(root).then(
      () => true,
      () => false,
    );
    if (hadOld) await rename(root, old);
    await rename(tmp, root);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
