/**
 * checkRepo through the persistent cache. A repo whose content id (every config and Puppet file's
 * path and blob id), root and check options were checked before by this build of lab is answered
 * from the stored result: nothing is parsed, validated or resolved. Otherwise the repo is checked,
 * with the parsed files of earlier runs taken by blob id (only changed files are parsed), and the
 * result is stored. The SourceMap is stored as its data and rebuilt, not as its closure.
 */
import { createHash } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import type { Diagnostic } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import type { LoadedRepo, PuppetIndex, ResolvedModel, UnloadedPart } from "../../core/model.js";
import type { CheckedRepo, CheckOptions } from "../../reconciler/check-repo.js";
import { inputBlobIds, repoIdOf } from "../../reconciler/load/content-id.js";
import {
  createSourceMap,
  sourceMapParts,
  type SourceMapParts,
} from "../../reconciler/load/source-map.js";
import type { RenderedSets, RenderedSetStore } from "../../reconciler/reconcile/already-applied.js";
import type { DiskCache } from "./disk-cache.js";

/**
 * A checked repo as stored. The diagnostics are plain data; the repo and the models are nested
 * v8 serializations, each read only when a verb first uses it (`lab validate` never reads the
 * model, `lab get` never reads the positions).
 */
interface StoredCheck {
  format: 2;
  diagnostics: Diagnostic[];
  consequences: number;
  repo: Uint8Array;
  model: StoredModel | null;
  partial: StoredModel | null;
}

/** A model as stored: each section on its own, so `lab get servers` reads only the servers. */
type StoredModel = Record<string, Uint8Array>;

/** The repo as stored: its SourceMap as data. */
interface StoredRepo {
  config: LoadedRepo["config"];
  files: readonly string[];
  sources: SourceMapParts;
  puppet: PuppetIndex;
  unloaded: readonly UnloadedPart[];
}

/** What a cached check did: answered from the stored result, or checked and stored. */
export interface CachedCheck {
  checked: CheckedRepo;
  hit: boolean;
  /** Files parsed on a miss (the others came from memory or the cache). */
  parsed: number;
  /** The entry's key (the repo's content, root and options, under lab's code id); null when the source gave no content id. */
  key: string | null;
}

function toStored(checked: CheckedRepo): StoredCheck | null {
  const sources = sourceMapParts(checked.repo.sources);
  if (!sources) return null;
  const repo: StoredRepo = { ...checked.repo, sources };
  return {
    format: 2,
    diagnostics: checked.diagnostics,
    consequences: checked.consequences,
    repo: serialize(repo),
    model: checked.model ? storeModel(checked.model) : null,
    partial: checked.partial ? storeModel(checked.partial) : null,
  };
}

function storeModel(model: ResolvedModel): StoredModel {
  const out: StoredModel = {};
  for (const [name, section] of Object.entries(model)) out[name] = serialize(section);
  return out;
}

function restoreModel(stored: unknown): ResolvedModel | null {
  if (stored === null || typeof stored !== "object") return null;
  const model = {};
  for (const [name, bytes] of Object.entries(stored)) {
    if (!isBytes(bytes)) return null;
    lazy(model, name, () => deserialize(bytes) as unknown);
  }
  return model as ResolvedModel;
}

function restoreRepo(bytes: Uint8Array): LoadedRepo {
  const stored = deserialize(bytes) as StoredRepo;
  const { files, owners } = stored.sources;
  return { ...stored, sources: createSourceMap(files, owners) };
}

/** A property computed on first use, then kept (also where its descriptor is copied to). */
function lazy<T>(target: object, name: string, make: () => T): void {
  let made: { value: T } | null = null;
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      made ??= { value: make() };
      return made.value;
    },
  });
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function fromStored(value: unknown): CheckedRepo | null {
  if (value === null || typeof value !== "object") return null;
  const stored = value as Partial<StoredCheck>;
  if (stored.format !== 2 || !Array.isArray(stored.diagnostics) || !isBytes(stored.repo)) {
    return null;
  }
  const { repo, model, partial } = stored;
  const checked = { diagnostics: stored.diagnostics, consequences: stored.consequences ?? 0 };
  lazy(checked, "repo", () => restoreRepo(repo));
  lazy(checked, "model", () => restoreModel(model));
  lazy(checked, "partial", () => restoreModel(partial));
  return checked as CheckedRepo;
}

/** The key of a repo entry: its content id, where it is, and what the check was asked for. */
export function repoKey(contentId: string, root: string, options: CheckOptions): string {
  const asked = { render: options.render === true, partial: options.partial === true };
  return createHash("sha256")
    .update(JSON.stringify({ contentId, root, ...asked }))
    .digest("hex");
}

/** The content id, or null when the source cannot give one (what cannot be read is not cached). */
async function contentIdOrNull(source: FileSource, signal?: AbortSignal): Promise<string | null> {
  try {
    const { ids, unreadable } = await inputBlobIds(source, signal);
    return repoIdOf(ids, unreadable);
  } catch {
    signal?.throwIfAborted();
    return null;
  }
}

export async function checkRepoCached(
  source: FileSource,
  root: string,
  cache: DiskCache,
  options: CheckOptions = {},
): Promise<CachedCheck> {
  const id = await contentIdOrNull(source, options.signal);
  const key = id === null ? null : repoKey(id, root, options);
  const stored = key === null ? null : fromStored(cache.read("repos", key));
  if (stored) return { checked: stored, hit: true, parsed: 0, key };
  // The pipeline (ajv, the YAML parser, the resolver) is loaded only on a miss: a hit needs none.
  const [{ checkRepo }, { createLoadCache }] = await Promise.all([
    import("../../reconciler/check-repo.js"),
    import("../../reconciler/load/load-file.js"),
  ]);
  const loadCache = options.cache ?? createLoadCache(cache.files);
  const before = loadCache.stats.parsed;
  const checked = await checkRepo(source, { ...options, cache: loadCache });
  const entry = toStored(checked);
  if (key !== null && entry) cache.write("repos", key, entry);
  return { checked, hit: false, parsed: loadCache.stats.parsed - before, key };
}

/** The render sets of reconcile passes (already-applied.ts), kept in the cache. */
export function renderedSetStore(cache: DiskCache): RenderedSetStore {
  return {
    read(key) {
      const value = cache.read("renders", key);
      if (value === null || typeof value !== "object") return null;
      const entries = Object.entries(value);
      return entries.every(([, v]) => typeof v === "string") ? (value as RenderedSets) : null;
    },
    write(key, sets) {
      cache.write("renders", key, sets);
    },
  };
}
