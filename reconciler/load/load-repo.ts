/** The load stage: a FileSource in, the merged config with positions and diagnostics out. */
import { compareDiagnostics, type Diagnosed } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import type { LoadedRepo } from "../../core/model.js";
import { mergeSections, type SectionFile } from "./merge-sections.js";
import { indexPuppet } from "./puppet-scan.js";
import { readFiles, type ReadResult } from "./read-files.js";
import { ignoreMatcher, selectFiles } from "./select-files.js";
import { createSourceMap } from "./source-map.js";
import { MAX_DEPTH, parseYamlFile, type ParsedFile } from "./yaml-file.js";

/**
 * Parsed files kept between loads of the same repo (the reconcile loop loads it again and again):
 * a file whose text has not changed is not parsed again. Parsed values are shared between the
 * loads that use the cache, so a LoadedRepo's config must be treated as read-only.
 */
export interface LoadCache {
  readonly files: Map<string, { text: string; parsed: ParsedFile }>;
}

export function createLoadCache(): LoadCache {
  return { files: new Map() };
}

export interface LoadOptions {
  signal?: AbortSignal;
  cache?: LoadCache;
}

function parseCached(read: ReadResult, cache: LoadCache | undefined): ParsedFile {
  if (!cache || "diagnostic" in read) return parseRead(read);
  const hit = cache.files.get(read.path);
  if (hit && hit.text === read.text) return hit.parsed;
  const parsed = parseRead(read);
  cache.files.set(read.path, { text: read.text, parsed });
  return parsed;
}

function parseRead(read: ReadResult): ParsedFile {
  const failed = (diagnostics: ParsedFile["diagnostics"]): ParsedFile => ({
    path: read.path,
    positions: null,
    sections: null,
    sops: false,
    diagnostics,
  });
  if ("diagnostic" in read) return failed([read.diagnostic]);
  try {
    return parseYamlFile(read.path, read.text);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const message = `nesting too deep to parse (more than ${MAX_DEPTH} levels is refused)`;
    return failed([
      { file: read.path, line: 1, col: 1, severity: "error", code: "LAB003", pointer: "", message },
    ]);
  }
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
 * Loads a config repo (DESIGN.md §1): selects the config files, parses each once with positions,
 * drops `lab.ignore` matches and SOPS files, merges the sections, and scans `puppet/`. The
 * result does not depend on the order in which the source lists files.
 */
export async function loadRepo(
  source: FileSource,
  options: LoadOptions = {},
): Promise<Diagnosed<LoadedRepo>> {
  const { signal, cache } = options;
  const entries = await source.list(signal);
  const sizes = new Map(entries.map((e) => [e.path, e.size]));
  const selected = selectFiles(sizes.keys());
  const parsed: ParsedFile[] = [];
  for (const read of await readFiles(source, selected.config, sizes, signal)) {
    signal?.throwIfAborted();
    parsed.push(parseCached(read, cache));
  }
  if (cache) {
    const current = new Set(selected.config);
    for (const path of cache.files.keys()) if (!current.has(path)) cache.files.delete(path);
  }
  const ignored = ignoreMatcher(ignoreGlobs(parsed));
  const kept = parsed.filter((file) => !ignored(file.path) && !file.sops);
  const sectionFiles = kept.filter(isSectionFile);
  const merged = mergeSections(sectionFiles);
  const diagnostics = kept.filter((f) => !isSectionFile(f)).flatMap((f) => f.diagnostics);
  for (const d of merged.diagnostics) diagnostics.push(d);
  const puppetTexts: { path: string; text: string }[] = [];
  const puppetPaths = selected.puppet.filter((path) => !ignored(path));
  for (const read of await readFiles(source, puppetPaths, sizes, signal)) {
    if ("diagnostic" in read) diagnostics.push(read.diagnostic);
    else puppetTexts.push(read);
  }
  const repo: LoadedRepo = {
    config: merged.config,
    files: kept.map((f) => f.path),
    sources: createSourceMap(
      sectionFiles.map((f) => f.positions),
      merged.owners,
    ),
    puppet: indexPuppet(puppetTexts),
    unloaded: [],
  };
  return { value: repo, diagnostics: diagnostics.sort(compareDiagnostics) };
}
