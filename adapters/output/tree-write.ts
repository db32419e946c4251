/**
 * Writing a rendered tree: the whole new tree is built in a version folder beside `root` and the
 * symlink `root` is swapped to it with one atomic rename, so a reader (`lab enc` during a Puppet
 * run) sees the old tree or the new one, never a half-written or missing one. Unchanged files are
 * hard links to the old ones (same bytes, same mtime). A manifest of hashes goes with each tree.
 */
import { randomBytes } from "node:crypto";
import {
  copyFile,
  link,
  mkdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { TreeDiff } from "../../reconciler/tree-diff.js";
import { ensureDirectory, lstatOrNull, step } from "./fs-steps.js";
import {
  MANIFEST,
  manifestText,
  type ManifestEntry,
  type TreeRecord,
  type TreeState,
} from "./tree-state.js";

export interface TreeFile {
  path: string;
  content: string;
  /** sha256 of content. */
  hash: string;
}

/** Links `from` to `to` (a copy with the same mtime where links fail); the entry `to` gets. */
/** Links `from` to `to` (a copy with the same mtime where links fail); the entry `to` gets. */
async function carryOver(from: string, to: string, old: ManifestEntry | undefined) {
  try {
    await link(from, to);
    if (old) return old;
  } catch {
    await step("copy", from, () => copyFile(from, to));
    const info = await step("read", from, () => stat(from));
    await step("write", to, () => utimes(to, info.atime, info.mtime));
  }
  const info = await step("read", to, () => stat(to));
  return { hash: old?.hash ?? "", size: info.size, mtimeMs: info.mtimeMs };
}

/** How many files are written or linked at once. */
const CONCURRENCY = 32;

/** Runs `work` over `items`, CONCURRENCY at a time; the first failure stops the rest. */
async function pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/** Every folder the files need, parents first, made once each. */
async function makeFolders(next: string, paths: readonly string[]): Promise<void> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) {
      folders.add(path.slice(0, i));
    }
  }
  for (const folder of [...folders].sort()) {
    const abs = join(next, folder);
    await step("create the directory", abs, () => mkdir(abs));
  }
}

/** What `root` is now: our symlink to a version folder, a plain folder, or nothing. */
async function currentTree(
  root: string,
): Promise<
  { kind: "link"; target: string | null; raw: string } | { kind: "dir" } | { kind: "none" }
> {
  const info = await lstatOrNull(root);
  if (!info) return { kind: "none" };
  if (!info.isSymbolicLink()) return { kind: "dir" };
  const target = await step("read the link", root, () => readlink(root));
  // Only a version folder this code made beside `root` is ours to remove later.
  const ours = new RegExp(`^\\.${escapeRegExp(basename(root))}\\.[0-9a-f]{12}$`).test(target);
  return { kind: "link", target: ours ? join(dirname(root), target) : null, raw: target };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Builds the new tree in `next`; returns the manifest entries of every file in it. */
async function buildTree(
  root: string,
  next: string,
  files: readonly TreeFile[],
  state: TreeState,
  diff: TreeDiff,
  owned: (path: string) => boolean,
  signal?: AbortSignal,
): Promise<Map<string, ManifestEntry>> {
  const entries = new Map<string, ManifestEntry>();
  const unchanged = new Set(diff.unchanged);
  const wanted = new Set(files.map((f) => f.path));
  const kept = [...state.entries.keys()].filter((path) => !owned(path) && !wanted.has(path));
  // The first write beside `root`: where the folder cannot be written, say so of the folder.
  await step("write to", dirname(next), () => mkdir(next));
  await makeFolders(next, [...wanted, ...kept]);
  await pool(files, async (f) => {
    signal?.throwIfAborted();
    const target = join(next, f.path);
    if (unchanged.has(f.path)) {
      entries.set(f.path, await carryOver(join(root, f.path), target, state.entries.get(f.path)));
      return;
    }
    await step("write", target, () => writeFile(target, f.content, { signal }));
    const info = await step("read", target, () => stat(target));
    entries.set(f.path, { hash: f.hash, size: info.size, mtimeMs: info.mtimeMs });
  });
  await pool(kept, async (path) => {
    entries.set(path, await carryOver(join(root, path), join(next, path), state.entries.get(path)));
  });
  return entries;
}

/**
 * Replaces `root` with the new `files`, plus the existing files that are not `owned` (kept). A
 * plain folder at `root` (first run) is replaced once by the symlink. On failure the old tree
 * stays as it was and the new folder is removed; every failure names the path and the reason.
 */
export async function writeTree(
  root: string,
  files: readonly TreeFile[],
  state: TreeState,
  diff: TreeDiff,
  options: {
    owned: (path: string) => boolean;
    /** What the manifest records: the tree's scope, the input per renderer, the server count. */
    record: TreeRecord;
    signal?: AbortSignal;
    /** Keep the previous tree until the caller commits or restores it (outputs under apply). */
    keepPrevious?: boolean;
  },
): Promise<PreviousTree | null> {
  const parent = dirname(root);
  await ensureDirectory(parent);
  const suffix = randomBytes(6).toString("hex");
  const version = `.${basename(root)}.${suffix}`;
  const next = join(parent, version);
  const linkPath = join(parent, `.${basename(root)}.link-${suffix}`);
  const old = join(parent, `.${basename(root)}.old-${suffix}`);
  let swapped = false;
  let moved = false;
  try {
    const entries = await buildTree(root, next, files, state, diff, options.owned, options.signal);
    const manifest = join(next, MANIFEST);
    await step("write", manifest, () => writeFile(manifest, manifestText(options.record, entries)));
    const current = await currentTree(root);
    await step("create the link", linkPath, () => symlink(version, linkPath));
    if (current.kind === "dir") {
      await step("move", root, () => rename(root, old));
      moved = true;
    }
    await step("replace", root, () => rename(linkPath, root));
    swapped = true;
    const previous: PreviousTree = {
      root,
      version: next,
      kind: current.kind,
      path: current.kind === "dir" ? old : current.kind === "link" ? current.target : null,
      link: current.kind === "link" ? current.raw : null,
    };
    if (options.keepPrevious) return previous;
    await dropPrevious(previous);
    return null;
  } finally {
    await rm(linkPath, { force: true });
    if (!swapped) {
      // The old plain folder goes back where it was: a failed write loses nothing.
      if (moved) await rename(old, root).catch(() => undefined);
      await rm(next, { recursive: true, force: true });
    }
  }
}

/** The tree a write replaced, kept (with `keepPrevious`) until it is restored or dropped. */
export interface PreviousTree {
  root: string;
  /** The version folder the write made. */
  version: string;
  /** What `root` was: a plain folder (moved to `path`), our link (to `path`), or nothing. */
  kind: "dir" | "link" | "none";
  /** The folder to remove when the previous tree is dropped (null: nothing of ours). */
  path: string | null;
  /** For a link: what it pointed to, as written. */
  link: string | null;
}

/** Forgets the previous tree: removes what only it used. */
export async function dropPrevious(previous: PreviousTree): Promise<void> {
  if (previous.kind !== "none" && previous.path) {
    await rm(previous.path, { recursive: true, force: true });
  }
}

/**
 * Puts the previous tree back at `root` with one rename (a reader sees the new tree or the old
 * one), then removes the version folder the write made. A root that held nothing is removed.
 */
export async function restorePrevious(previous: PreviousTree): Promise<void> {
  const { root, version } = previous;
  const parent = dirname(root);
  if (previous.kind === "dir" && previous.path) {
    const aside = join(parent, `.${basename(root)}.undo-${randomBytes(6).toString("hex")}`);
    await step("move", root, () => rename(root, aside));
    await step("replace", root, () => rename(previous.path!, root));
    await rm(aside, { force: true });
  } else if (previous.kind === "link" && previous.link !== null) {
    const linkPath = join(parent, `.${basename(root)}.link-${randomBytes(6).toString("hex")}`);
    await step("create the link", linkPath, () => symlink(previous.link!, linkPath));
    await step("replace", root, () => rename(linkPath, root));
  } else {
    await rm(root, { force: true });
  }
  await rm(version, { recursive: true, force: true });
}

/**
 * Records `record` in the manifest of the tree at `root` as it is (no file changed): written
 * beside it and renamed over it, so a reader sees the old manifest or the new one.
 */
export async function updateManifest(
  root: string,
  state: TreeState,
  record: TreeRecord,
): Promise<void> {
  const manifest = join(root, MANIFEST);
  const temp = join(root, `${MANIFEST}.${randomBytes(6).toString("hex")}`);
  try {
    await step("write", temp, () => writeFile(temp, manifestText(record, state.entries)));
    await step("replace", manifest, () => rename(temp, manifest));
  } finally {
    await rm(temp, { force: true });
  }
}
