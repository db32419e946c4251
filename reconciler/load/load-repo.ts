/** The load stage: a FileSource in, the merged config with positions and diagnostics out. */
import { compareDiagnostics, type Diagnosed, type Diagnostic } from "../../core/diagnostics.js";
import type { FileSource, UnreadableEntry } from "../../core/file-source.js";
import type { LoadedRepo, UnloadedPart } from "../../core/model.js";
import { decodeUtf8 } from "./decode-text.js";
import { loadFile, type LoadCache, type LoadedFile } from "./load-file.js";
import { mergeSections, type SectionFile } from "./merge-sections.js";
import { indexPuppet } from "./puppet-scan.js";
import { fileDiagnostic, readFiles, UNREADABLE_FIX } from "./read-files.js";
import {
  fileKind,
  ignoreMatcher,
  mayHoldConfig,
  mayHoldInput,
  selectFiles,
} from "./select-files.js";
import { createSourceMap } from "./source-map.js";
import { compareUnloaded, fileUnloaded } from "./unloaded.js";
import type { ParsedFile } from "./yaml-file.js";

export { createLoadCache, type LoadCache, type ParsedFileStore } from "./load-file.js";

export interface LoadOptions {
  signal?: AbortSignal;
  cache?: LoadCache;
}

/** `lab.ignore` globs from every file that has them (the `lab` section can be in any file). */
function ignoreGlobs(files: readonly ParsedFile[]): string[] {
  const globs: string[] = [];
  for (const file of files) {
    if (file.sops) continue;
    const lab = file.sections?.lab;
    if (lab === null || typeof lab !== "object" || Array.isArray(lab)) continue;
    const ignore = (lab as Record<string, unknown>).ignore;
    if (!Array.isArray(ignore)) continue;
    for (const glob of ignore) if (typeof glob === "string") globs.push(glob);
  }
  return globs;
}

function isSectionFile(file: ParsedFile): file is ParsedFile & SectionFile {
  return file.positions !== null && file.sections !== null;
}

/**
 * What the listing could not see, where it matters (a directory that may hold config or Puppet
 * code, a file that would be one): LAB006 each, and an opaque unloaded part for those that may
 * hold config.
 */
function unreadableParts(
  entries: readonly UnreadableEntry[],
  ignored: (path: string) => boolean,
): { diagnostics: Diagnostic[]; unloaded: UnloadedPart[] } {
  const diagnostics: Diagnostic[] = [];
  const unloaded: UnloadedPart[] = [];
  for (const entry of entries) {
    const directory = entry.kind === "directory";
    const kind = directory ? null : fileKind(entry.path);
    const relevant = directory ? mayHoldInput(entry.path) : kind !== null;
    if (!relevant || (entry.path !== "." && ignored(entry.path))) continue;
    const message = directory
      ? `cannot read directory: ${entry.reason}; the files in it are not loaded`
      : `cannot read file: ${entry.reason}`;
    const d = fileDiagnostic(entry.path, "LAB006", message, UNREADABLE_FIX);
    diagnostics.push(d);
    if (directory ? mayHoldConfig(entry.path) : kind === "config") {
      unloaded.push(fileUnloaded(entry.path, d, null));
    }
  }
  return { diagnostics, unloaded };
}

/**
 * Loads a config repo (docs/repo-format.md): selects the config files, decodes and parses each once with
 * positions, drops `lab.ignore` matches and SOPS files, merges the sections, and scans `puppet/`.
 * What could not be listed, read, decoded or parsed is a diagnostic and an entry of `unloaded`.
 * The result does not depend on the order in which the source lists files.
 */
export async function loadRepo(
  source: FileSource,
  options: LoadOptions = {},
): Promise<Diagnosed<LoadedRepo>> {
  const { signal, cache } = options;
  const listing = await source.list(signal);
  const sizes = new Map(listing.files.map((e) => [e.path, e.size]));
  const selected = selectFiles(sizes.keys());
  const loaded: LoadedFile[] = [];
  for (const read of await readFiles(source, selected.config, sizes, signal)) {
    signal?.throwIfAborted();
    loaded.push(loadFile(read, cache));
  }
  if (cache) {
    const current = new Set(loaded.map((f) => f.id));
    for (const id of cache.files.keys()) if (!current.has(id)) cache.files.delete(id);
  }
  const ignored = ignoreMatcher(ignoreGlobs(loaded.map((f) => f.parsed)));
  const kept = loaded.filter((f) => !ignored(f.parsed.path) && !f.parsed.sops);
  const sectionFiles = kept.map((f) => f.parsed).filter(isSectionFile);
  const merged = mergeSections(sectionFiles);
  const diagnostics = kept.flatMap((f) => (isSectionFile(f.parsed) ? [] : f.parsed.diagnostics));
  for (const d of merged.diagnostics) diagnostics.push(d);
  const unreadable = unreadableParts(listing.unreadable, ignored);
  for (const d of unreadable.diagnostics) diagnostics.push(d);
  const unloaded = kept.flatMap((f) => (f.unloaded ? [f.unloaded] : []));
  for (const part of merged.unloaded) unloaded.push(part);
  for (const part of unreadable.unloaded) unloaded.push(part);
  const puppetTexts: { path: string; text: string }[] = [];
  const puppetPaths = selected.puppet.filter((path) => !ignored(path));
  for (const read of await readFiles(source, puppetPaths, sizes, signal)) {
    const decoded = "diagnostic" in read ? read : decodeUtf8(read.path, read.bytes);
    if ("diagnostic" in decoded) diagnostics.push(decoded.diagnostic);
    else puppetTexts.push({ path: read.path, text: decoded.text });
  }
  const repo: LoadedRepo = {
    config: merged.config,
    files: kept.map((f) => f.parsed.path),
    sources: createSourceMap(
      sectionFiles.map((f) => f.positions),
      merged.owners,
    ),
    puppet: indexPuppet(puppetTexts),
    unloaded: unloaded.sort(compareUnloaded),
  };
  return { value: repo, diagnostics: diagnostics.sort(compareDiagnostics) };
}
