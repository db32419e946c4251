/** One config file from its bytes to a ParsedFile, with what it leaves unloaded; cached by content. */
import type { Diagnostic } from "../../core/diagnostics.js";
import type { UnloadedPart } from "../../core/model.js";
import { decodeUtf8 } from "./decode-text.js";
import type { ReadResult } from "./read-files.js";
import { fileUnloaded } from "./unloaded.js";
import { brokenFile, MAX_DEPTH, parseYamlFile, type ParsedFile } from "./yaml-file.js";

/** A config file as loaded: parsed (or broken), and the unloaded part it is when it is broken. */
export interface LoadedFile {
  parsed: ParsedFile;
  unloaded: UnloadedPart | null;
}

/**
 * Parsed files kept between loads of the same repo (the reconcile loop loads it again and again):
 * a file whose bytes have not changed is not decoded or parsed again. Parsed values are shared
 * between the loads that use the cache, so a LoadedRepo's config must be treated as read-only.
 */
export interface LoadCache {
  readonly files: Map<string, { bytes: Uint8Array; file: LoadedFile }>;
}

export function createLoadCache(): LoadCache {
  return { files: new Map() };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function broken(path: string, diagnostic: Diagnostic, text: string | null): LoadedFile {
  return { parsed: brokenFile(path, [diagnostic]), unloaded: fileUnloaded(path, diagnostic, text) };
}

function parseText(path: string, text: string): LoadedFile {
  let parsed: ParsedFile;
  try {
    parsed = parseYamlFile(path, text);
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
    return broken(path, d, text);
  }
  return { parsed, unloaded: parsed.cause ? fileUnloaded(path, parsed.cause, text) : null };
}

function loadBytes(path: string, bytes: Uint8Array): LoadedFile {
  const decoded = decodeUtf8(path, bytes);
  if ("diagnostic" in decoded) return broken(path, decoded.diagnostic, decoded.text);
  return parseText(path, decoded.text);
}

/** Decodes and parses a file that was read; a file that was not read is broken and opaque. */
export function loadFile(read: ReadResult, cache: LoadCache | undefined): LoadedFile {
  if ("diagnostic" in read) return broken(read.path, read.diagnostic, null);
  if (!cache) return loadBytes(read.path, read.bytes);
  const hit = cache.files.get(read.path);
  if (hit && sameBytes(hit.bytes, read.bytes)) return hit.file;
  const file = loadBytes(read.path, read.bytes);
  cache.files.set(read.path, { bytes: read.bytes, file });
  return file;
}
