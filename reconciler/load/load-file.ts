/**
 * One config file from its bytes to a ParsedFile, with what it leaves unloaded; cached by its
 * content id (git's blob id), so that a file moved or renamed with the same bytes is not parsed
 * again.
 */
import type { Diagnostic } from "../../core/diagnostics.js";
import type { UnloadedPart } from "../../core/model.js";
import { blobId } from "./content-id.js";
import { decodeUtf8 } from "./decode-text.js";
import type { ReadResult } from "./read-files.js";
import { fileUnloaded } from "./unloaded.js";
import { mayNestDeep, parseYamlFast } from "./yaml-fast.js";
import { brokenFile, MAX_DEPTH, parseYamlFile, type ParsedFile } from "./yaml-file.js";

/** A config file as loaded: parsed (or broken), and the unloaded part it is when it is broken. */
export interface LoadedFile {
  /** The content id of its bytes (git's blob id); null when it could not be read. */
  id: string | null;
  parsed: ParsedFile;
  unloaded: UnloadedPart | null;
}

/**
 * Where parsed files outlive a process (adapters/cache keeps them on disk): by content id. A
 * store may lose entries at any time; a `get` that finds nothing usable returns undefined.
 */
export interface ParsedFileStore {
  get(id: string): LoadedFile | undefined;
  set(id: string, file: LoadedFile): void;
}

/**
 * Parsed files kept between loads of the same repo (the reconcile loop loads it again and again),
 * by content id: a file whose bytes have not changed is not decoded or parsed again, wherever it
 * now is. Parsed values are shared between the loads that use the cache, so a LoadedRepo's config
 * must be treated as read-only. After each load the cache holds exactly that load's files.
 */
export interface LoadCache {
  readonly files: Map<string, LoadedFile>;
  /** What the cache saved: files parsed, taken from memory, taken from the store. */
  readonly stats: { parsed: number; reused: number; stored: number };
  /** A second level (e.g. on disk) asked before parsing, and told of every file parsed. */
  readonly store?: ParsedFileStore;
}

export function createLoadCache(store?: ParsedFileStore): LoadCache {
  const stats = { parsed: 0, reused: 0, stored: 0 };
  return store ? { files: new Map(), stats, store } : { files: new Map(), stats };
}

function broken(
  id: string | null,
  path: string,
  diagnostic: Diagnostic,
  text: string | null,
): LoadedFile {
  return {
    id,
    parsed: brokenFile(path, [diagnostic]),
    unloaded: fileUnloaded(path, diagnostic, text),
  };
}

/** The fast path where it is sure of the file, the reference path otherwise (see yaml-fast.ts). */
export function parseConfigYaml(path: string, text: string): ParsedFile {
  return parseYamlFast(path, text) ?? parseYamlFile(path, text);
}

/**
 * Far beyond MAX_DEPTH a parser's recursion can exhaust the stack inside V8 itself (compiling a
 * regular expression), which is fatal rather than a RangeError: such text is refused unparsed.
 */
const REFUSE_UNPARSED_DEPTH = 4 * MAX_DEPTH;

function parseText(id: string, path: string, text: string): LoadedFile {
  let parsed: ParsedFile;
  try {
    if (mayNestDeep(text, REFUSE_UNPARSED_DEPTH, REFUSE_UNPARSED_DEPTH)) {
      throw new RangeError("nesting too deep");
    }
    parsed = parseConfigYaml(path, text);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const message = `nesting too deep to parse (more than ${MAX_DEPTH} levels is refused)`;
    const d: Diagnostic = {
      file: path,
      line: 1,
      col: 1,
      severity: "error",
      code: "LAB003",
      pointer: "",
      message,
    };
    return broken(id, path, d, text);
  }
  return { id, parsed, unloaded: parsed.cause ? fileUnloaded(path, parsed.cause, text) : null };
}

function loadBytes(id: string, path: string, bytes: Uint8Array): LoadedFile {
  const decoded = decodeUtf8(path, bytes);
  if ("diagnostic" in decoded) return broken(id, path, decoded.diagnostic, decoded.text);
  return parseText(id, path, decoded.text);
}

/**
 * A cached file as it is loaded under `path`. Positions name their file, so a file that loaded
 * cleanly is re-homed (its data and positions are shared); one with diagnostics, whose messages
 * may name its path, is only reused under the path it was parsed under.
 */
function rehome(file: LoadedFile, path: string): LoadedFile | null {
  const parsed = file.parsed;
  if (parsed.path === path) return file;
  if (parsed.diagnostics.length > 0 || file.unloaded || !parsed.positions) return null;
  const positions = { ...parsed.positions, path };
  return { ...file, parsed: { ...parsed, path, positions } };
}

function cached(cache: LoadCache, id: string, path: string): LoadedFile | null {
  const hit = cache.files.get(id);
  const here = hit ? rehome(hit, path) : null;
  if (here) {
    cache.stats.reused += 1;
    return here;
  }
  const stored = cache.store?.get(id);
  const fromStore = stored ? rehome(stored, path) : null;
  if (fromStore) cache.stats.stored += 1;
  return fromStore;
}

/**
 * Decodes and parses a file that was read (the cache's copy when it has the same content id);
 * a file that was not read is broken and opaque.
 */
export function loadFile(read: ReadResult, cache: LoadCache | undefined): LoadedFile {
  if ("diagnostic" in read) return broken(null, read.path, read.diagnostic, null);
  const id = blobId(read.bytes);
  if (!cache) return loadBytes(id, read.path, read.bytes);
  const hit = cached(cache, id, read.path);
  if (hit) {
    if (!cache.files.has(id)) cache.files.set(id, hit);
    return hit;
  }
  const file = loadBytes(id, read.path, read.bytes);
  cache.stats.parsed += 1;
  cache.files.set(id, file);
  cache.store?.set(id, file);
  return file;
}
