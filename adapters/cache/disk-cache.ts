/**
 * lab's persistent cache, in the state directory (`~/.lab/cache`, LAB_CACHE_DIR, or a `dir` the
 * caller gives). Entries live under the id of lab's own code, so a new build never reads an old
 * build's entries:
 *
 *   <dir>/<code id>/files/<blob id>.bin   a parsed config file, by git blob id
 *   <dir>/<code id>/repos/<key>.bin       a checked repo, by its content id (and root, options)
 *   <dir>/<code id>/renders/<key>.bin     what a checked repo renders to, per output: the id of
 *                                         its set of files (reconciler/reconcile/already-applied)
 *
 * Bounded: the newest MAX_REPOS repo entries, MAX_RENDERS render entries, MAX_FILES file entries, the newest two
 * code ids. A directory that cannot be written turns the cache off for the process, with one
 * warning; nothing about the cache ever fails a command.
 */
import { readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { LoadedFile, ParsedFileStore } from "../../reconciler/load/load-file.js";
import { encodeEntry, readEntry, writeEntry } from "./entry-file.js";

/** Repo entries kept (each is a whole checked repo: the largest entries). */
export const MAX_REPOS = 8;
/** Render entries kept (a few ids each: the smallest entries). */
export const MAX_RENDERS = 64;
/** Parsed-file entries kept. */
export const MAX_FILES = 4096;
/** Builds of lab whose entries are kept side by side (say, a checkout and an installed copy). */
const MAX_CODES = 2;

export interface DiskCacheOptions {
  /** The cache directory. */
  dir: string;
  /** The id of lab's own code (adapters/output/code-id.ts). */
  codeId: string;
  /** Told once when the directory cannot be written (the cache is then off). */
  onWarning?: (message: string) => void;
  maxRepos?: number;
  maxFiles?: number;
}

/** The kinds of whole-repo entries. */
export type CacheKind = "repos" | "renders";

export interface DiskCache {
  /** Where the entries of this build are. */
  readonly root: string;
  /** Parsed files by blob id, for the loader's LoadCache. */
  readonly files: ParsedFileStore;
  read(kind: CacheKind, key: string): unknown;
  write(kind: CacheKind, key: string, value: unknown): void;
  /** Whether the cache still writes (false after the directory refused a write). */
  readonly writable: boolean;
}

/** The default cache directory: LAB_CACHE_DIR, else `~/.lab/cache`. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  return env.LAB_CACHE_DIR || join(homedir(), ".lab", "cache");
}

const ID = /^[0-9a-f]{16,64}$/;

function isLoadedFile(value: unknown): value is LoadedFile {
  return (
    value !== null &&
    typeof value === "object" &&
    "parsed" in value &&
    "unloaded" in value &&
    "id" in value
  );
}

/** lab's own names in a folder (nothing else there is ever touched): entries or code folders. */
const ENTRY_NAME = /^[0-9a-f]{16,64}\.bin$/;
const CODE_NAME = /^[0-9a-f]{32}$/;

/** The entries of one folder that match `own`, newest first, beyond `keep` removed. */
function prune(dir: string, own: RegExp, keep: number): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => own.test(name));
  } catch {
    return;
  }
  if (names.length <= keep) return;
  const aged = names.flatMap((name) => {
    try {
      return [{ name, mtime: statSync(join(dir, name)).mtimeMs }];
    } catch {
      return [];
    }
  });
  aged.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : 1));
  for (const { name } of aged.slice(keep))
    rmSync(join(dir, name), { recursive: true, force: true });
}

export function openDiskCache(options: DiskCacheOptions): DiskCache {
  const root = join(options.dir, options.codeId.slice(0, 32).padEnd(32, "0"));
  const maxRepos = options.maxRepos ?? MAX_REPOS;
  const maxFiles = options.maxFiles ?? MAX_FILES;
  let writable = true;
  const pathOf = (kind: string, key: string): string => join(root, kind, `${key}.bin`);

  function put(kind: string, key: string, value: unknown): void {
    if (!writable || !ID.test(key)) return;
    let bytes: Buffer;
    try {
      bytes = encodeEntry(value);
    } catch {
      return; // a value v8 cannot copy is simply not cached
    }
    try {
      writeEntry(pathOf(kind, key), bytes);
    } catch (err) {
      writable = false;
      const reason = (err as NodeJS.ErrnoException).code ?? "error";
      options.onWarning?.(`cache off: cannot write ${options.dir} (${reason})`);
    }
  }

  function get(kind: string, key: string): unknown {
    return ID.test(key) ? readEntry(pathOf(kind, key)) : undefined;
  }

  return {
    root,
    get writable() {
      return writable;
    },
    files: {
      get(id) {
        const value = get("files", id);
        return isLoadedFile(value) && value.id === id ? value : undefined;
      },
      set(id, file) {
        put("files", id, file);
      },
    },
    read(kind, key) {
      const value = get(kind, key);
      if (value !== undefined) {
        const now = new Date();
        try {
          utimesSync(pathOf(kind, key), now, now);
        } catch {
          // the entry still serves; only its place in the eviction order is not refreshed
        }
      }
      return value;
    },
    write(kind, key, value) {
      put(kind, key, value);
      if (!writable) return;
      prune(join(root, "repos"), ENTRY_NAME, maxRepos);
      prune(join(root, "renders"), ENTRY_NAME, MAX_RENDERS);
      prune(join(root, "files"), ENTRY_NAME, maxFiles);
      const now = new Date();
      try {
        utimesSync(root, now, now);
      } catch {
        // eviction order only
      }
      prune(options.dir, CODE_NAME, MAX_CODES);
    },
  };
}
