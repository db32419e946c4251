/** The outputs part of a plan: per renderer, the files added, changed and removed, with diffs. */
import { createTwoFilesPatch } from "diff";
import { cmp } from "../../core/diagnostics.js";
import type { Artifact } from "../../core/renderer.js";
import type { AppliedState, PlannedFile, PlannedOutput } from "./plan-types.js";

/** The old side of the files: their hashes and, for diffs, their texts. */
export interface OldFiles {
  hash(path: string): string | undefined;
  /** Every old path, any order. */
  paths(): Iterable<string>;
  content(path: string): string | null;
}

/** The base side's artifacts as old files (a view over them: nothing is copied). */
export function artifactFiles(artifacts: readonly Artifact[]): OldFiles {
  const byPath = new Map<string, Artifact>();
  for (const a of artifacts) byPath.set(a.path, a);
  return {
    hash: (path) => byPath.get(path)?.hash,
    paths: () => byPath.keys(),
    content: (path) => byPath.get(path)?.content ?? null,
  };
}

/** What is applied as old files (nothing when nothing was ever applied). */
export function appliedFiles(applied: AppliedState | null): OldFiles {
  const hashes = applied?.hashes ?? new Map<string, string>();
  return {
    hash: (path) => hashes.get(path),
    paths: () => hashes.keys(),
    content: (path) => applied?.content(path) ?? null,
  };
}

/** `a/path` -> `b/path`, three lines of context, as git shows it. */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  const oldName = before === null ? "/dev/null" : `a/${path}`;
  const newName = after === null ? "/dev/null" : `b/${path}`;
  const patch = createTwoFilesPatch(oldName, newName, before ?? "", after ?? "", "", "", {
    context: 3,
  });
  // The header line of `===` the diff package writes first is not part of git's format.
  return patch.startsWith("=") ? patch.slice(patch.indexOf("\n") + 1) : patch;
}

function outputName(path: string): string {
  const slash = path.indexOf("/");
  return slash < 0 ? path : path.slice(0, slash);
}

/**
 * Files of `head` against `old`, per output (renderer folder), outputs and files sorted by
 * name. Only changed files are diffed; an unchanged hash is never read.
 */
export function planOutputs(head: readonly Artifact[], old: OldFiles): PlannedOutput[] {
  const byOutput = new Map<string, PlannedFile[]>();
  const filesOf = (path: string): PlannedFile[] => {
    const name = outputName(path);
    let list = byOutput.get(name);
    if (!list) byOutput.set(name, (list = []));
    return list;
  };
  const seen = new Set<string>();
  let files: PlannedFile[] = [];
  let folder: string | null = null;
  for (const a of head) {
    seen.add(a.path);
    if (folder === null || !a.path.startsWith(folder)) {
      files = filesOf(a.path);
      folder = outputName(a.path) + "/";
    }
    const before = old.hash(a.path) ?? null;
    if (before === a.hash) continue;
    const oldText = before === null ? null : old.content(a.path);
    const diff =
      before !== null && oldText === null ? null : unifiedDiff(a.path, oldText, a.content);
    files.push({
      path: a.path,
      action: before === null ? "add" : "change",
      before,
      after: a.hash,
      diff,
    });
  }
  for (const path of old.paths()) {
    if (seen.has(path)) continue;
    const hash = old.hash(path)!;
    const oldText = old.content(path);
    const diff = oldText === null ? null : unifiedDiff(path, oldText, null);
    filesOf(path).push({ path, action: "remove", before: hash, after: null, diff });
  }
  return [...byOutput.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([name, list]) => ({ name, files: list.sort((a, b) => cmp(a.path, b.path)) }));
}
