/**
 * Writing a rendered tree: compare with what is on disk, then replace the whole tree at once
 * (a complete new tree is built beside it and a symlink swapped to it), so a reader never sees a
 * half-written tree nor a missing one. Unchanged files are hard links to the old ones: same
 * bytes, same mtime.
 */
import { randomBytes } from "node:crypto";
import {
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
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

/** What `root` is now: our symlink to a version folder, a plain folder, or nothing. */
async function currentTree(
  root: string,
): Promise<{ kind: "link"; target: string | null } | { kind: "dir" } | { kind: "none" }> {
  const info = await lstat(root).catch(() => null);
  if (!info) return { kind: "none" };
  if (!info.isSymbolicLink()) return { kind: "dir" };
  const target = await readlink(root);
  // Only a version folder this code made beside `root` is ours to remove later.
  const ours = new RegExp(`^\\.${escapeRegExp(basename(root))}\\.[0-9a-f]{12}$`).test(target);
  return { kind: "link", target: ours ? join(dirname(root), target) : null };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replace `root` with: the new `files`, plus the existing files that are not `owned` (kept).
 * The tree is built in a version folder `.<name>.<random>` beside `root`, and `root` is a
 * symlink to it, swapped with one atomic rename: a reader (`lab enc` during a Puppet run) sees
 * the old tree or the new one, never none. A plain folder at `root` (first run) is replaced once
 * by the symlink. On failure the old tree stays and the new folder is removed.
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
  const version = `.${basename(root)}.${suffix}`;
  const next = join(parent, version);
  const link = join(parent, `.${basename(root)}.link-${suffix}`);
  const old = join(parent, `.${basename(root)}.old-${suffix}`);
  const unchanged = new Set(diff.unchanged);
  let swapped = false;
  try {
    for (const f of files) {
      signal?.throwIfAborted();
      const target = join(next, f.path);
      if (unchanged.has(f.path)) {
        await carryOver(join(root, f.path), target);
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content, { signal });
    }
    const wanted = new Set(files.map((f) => f.path));
    for (const path of await listTree(root, signal)) {
      if (!owned(path) && !wanted.has(path)) await carryOver(join(root, path), join(next, path));
    }
    await mkdir(next, { recursive: true });
    const current = await currentTree(root);
    await symlink(version, link);
    if (current.kind === "dir") await rename(root, old);
    await rename(link, root);
    swapped = true;
    if (current.kind === "dir") await rm(old, { recursive: true, force: true });
    if (current.kind === "link" && current.target) {
      await rm(current.target, { recursive: true, force: true });
    }
  } finally {
    await rm(link, { force: true });
    if (!swapped) await rm(next, { recursive: true, force: true });
  }
}
