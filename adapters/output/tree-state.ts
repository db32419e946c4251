/**
 * What a rendered tree on disk holds, read cheaply: the manifest written beside the files
 * (`.lab-tree.json`: each file's hash, size and mtime, and whether the tree holds the whole repo
 * or a selection) is trusted for every file whose size and mtime still match; any other file is
 * read and hashed. A tree without a manifest (written by hand, or before manifests) is hashed
 * whole.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LabError } from "../../core/errors.js";
import { errnoCode, ioReason } from "../../core/io-reason.js";
import { lstatOrNull, step } from "./fs-steps.js";

/** The manifest's name inside the tree (a dotfile: the tools' globs never read it). */
export const MANIFEST = ".lab-tree.json";

/** What a tree holds: the whole repo, or the servers some selector flags chose. */
export type TreeScope = { kind: "full" } | { kind: "selection"; servers: number; of: number };

export interface ManifestEntry {
  hash: string;
  size: number;
  mtimeMs: number;
}

export interface TreeState {
  /** Each file of the tree (relative path, forward slashes) -> sha256 of its bytes. */
  hashes: Map<string, string>;
  /** Size and mtime of each file as last seen, to carry into the next manifest. */
  entries: Map<string, ManifestEntry>;
  /** What the tree holds; null when there is no tree, or no manifest says. */
  scope: TreeScope | null;
  exists: boolean;
  /** Per renderer, the id of the input its folder was rendered from (see render-run). */
  sources: Readonly<Record<string, string>>;
  /** Server count of a full tree, as the manifest records it. */
  servers: number | null;
  /** True when the files differ from what the manifest says (edited, added or removed by hand). */
  drifted: boolean;
}

interface Manifest {
  format: 1;
  scope: TreeScope;
  files: Record<string, ManifestEntry>;
  sources?: Record<string, string>;
  servers?: number;
}

/** What a manifest records beside the files. */
export interface TreeRecord {
  scope: TreeScope;
  sources: Readonly<Record<string, string>>;
  servers: number | null;
}

/** How many files are checked at once. */
const CONCURRENCY = 64;

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function isEntry(v: unknown): v is ManifestEntry {
  const e = v as ManifestEntry | null;
  return (
    e !== null &&
    typeof e === "object" &&
    typeof e.hash === "string" &&
    typeof e.size === "number" &&
    typeof e.mtimeMs === "number"
  );
}

function parseManifest(text: string): Manifest | null {
  try {
    const m = JSON.parse(text) as Manifest;
    if (m?.format !== 1 || typeof m.files !== "object" || m.files === null) return null;
    if (m.scope?.kind !== "full" && m.scope?.kind !== "selection") return null;
    return Object.values(m.files).every(isEntry) ? m : null;
  } catch {
    return null;
  }
}

export function manifestText(
  record: TreeRecord,
  entries: ReadonlyMap<string, ManifestEntry>,
): string {
  const files: Record<string, ManifestEntry> = {};
  for (const path of [...entries.keys()].sort()) files[path] = entries.get(path)!;
  const sources: Record<string, string> = {};
  for (const name of Object.keys(record.sources).sort()) sources[name] = record.sources[name]!;
  const servers = record.servers === null ? {} : { servers: record.servers };
  return JSON.stringify({ format: 1, scope: record.scope, ...servers, sources, files }) + "\n";
}

/**
 * Every regular file under `root` but the manifest (relative, forward slashes, sorted); none when
 * there is no tree.
 */
export async function listTree(root: string, signal?: AbortSignal): Promise<string[]> {
  const entries = await step("list the rendered tree", root, async () => {
    try {
      return await readdir(root, { recursive: true, withFileTypes: true });
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return [];
      throw err;
    }
  });
  signal?.throwIfAborted();
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(root.length + 1)
        .split("\\")
        .join("/"),
    )
    .filter((p) => p !== MANIFEST)
    .sort();
}

async function readManifest(root: string): Promise<Manifest | null> {
  try {
    return parseManifest(await readFile(join(root, MANIFEST), "utf8"));
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return null;
    throw new LabError("IO", `cannot read ${join(root, MANIFEST)}: ${ioReason(err)}`, {
      cause: err,
    });
  }
}

/** The entry of one file: the manifest's when size and mtime match, else read and hashed. */
async function entryOf(root: string, path: string, known: ManifestEntry | undefined) {
  const abs = join(root, path);
  const info = await step("read", abs, () => stat(abs));
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known;
  const bytes = await step("read", abs, () => readFile(abs));
  return { hash: sha256(bytes), size: info.size, mtimeMs: info.mtimeMs };
}

/** The tree at `root` now. A file at `root` is an error naming it. */
export async function readTreeState(root: string, signal?: AbortSignal): Promise<TreeState> {
  const info = await lstatOrNull(root);
  const empty: TreeState = {
    hashes: new Map(),
    entries: new Map(),
    scope: null,
    exists: false,
    sources: {},
    servers: null,
    drifted: false,
  };
  if (!info) return empty;
  if (!info.isDirectory() && !info.isSymbolicLink()) {
    throw new LabError(
      "IO",
      `cannot write the rendered tree to ${root}: it is a file, not a directory`,
    );
  }
  const paths = await listTree(root, signal);
  const manifest = await readManifest(root);
  const state: TreeState = {
    ...empty,
    scope: manifest?.scope ?? null,
    exists: true,
    sources: manifest?.sources ?? {},
    servers: typeof manifest?.servers === "number" ? manifest.servers : null,
    drifted: manifest !== null && paths.length !== Object.keys(manifest.files).length,
  };
  const known = (path: string) =>
    manifest && Object.hasOwn(manifest.files, path) ? manifest.files[path] : undefined;
  const toHash = await statAgainst(root, paths, known, signal);
  const record = (path: string, entry: ManifestEntry) => {
    if (manifest && entry.hash !== known(path)?.hash) state.drifted = true;
    state.entries.set(path, entry);
    state.hashes.set(path, entry.hash);
  };
  for (const path of paths) {
    if (!toHash.has(path)) record(path, known(path)!);
  }
  const rest = [...toHash.keys()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rest.length) {
      signal?.throwIfAborted();
      const path = rest[next++]!;
      record(path, await entryOf(root, path, undefined));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rest.length) }, worker));
  return state;
}

/** Files stat'ed between two turns of the event loop. */
const STAT_BATCH = 1000;

/**
 * The paths whose size or mtime differ from what the manifest knows (or that it does not know):
 * those must be read and hashed. A stat is a few microseconds when made directly and a hundred
 * through the thread pool, so they are made directly, in batches that let other work run between.
 */
async function statAgainst(
  root: string,
  paths: readonly string[],
  known: (path: string) => ManifestEntry | undefined,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const differ = new Set<string>();
  for (let i = 0; i < paths.length; i += STAT_BATCH) {
    if (i > 0) await new Promise((next) => setImmediate(next));
    signal?.throwIfAborted();
    for (const path of paths.slice(i, i + STAT_BATCH)) {
      const entry = known(path);
      if (!entry) {
        differ.add(path);
        continue;
      }
      const abs = join(root, path);
      const info = statSyncOrThrow(abs);
      if (entry.size !== info.size || entry.mtimeMs !== info.mtimeMs) differ.add(path);
    }
  }
  return differ;
}

function statSyncOrThrow(abs: string) {
  try {
    return statSync(abs);
  } catch (cause) {
    throw new LabError("IO", `cannot read ${abs}: ${ioReason(cause)}`, { cause });
  }
}
