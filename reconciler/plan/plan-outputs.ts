/** The outputs part of a plan: per renderer, the files added, changed and removed, with diffs. */
import { createTwoFilesPatch } from "diff";
import { cmp } from "../../core/diagnostics.js";
import type { Artifact } from "../../core/renderer.js";
import type { AppliedState, PlannedFile, PlannedOutput } from "./plan-types.js";

/** The old side of the files: hashes and, for diffs, the old texts. */
export interface OldFiles {
  hashes: ReadonlyMap<string, string>;
  content(path: string): string | null;
}

/** The base side's artifacts as old files. */
export function artifactFiles(artifacts: readonly Artifact[]): OldFiles {
  const byPath = new Map<string, Artifact>();
  for (const a of artifacts) byPath.set(a.path, a);
  const hashes = new Map<string, string>();
  for (const [path, a] of byPath) hashes.set(path, a.hash);
  return { hashes, content: (path) => byPath.get(path)?.content ?? null };
}

/** What is applied as old files (nothing when nothing was ever applied). */
export function appliedFiles(applied: AppliedState | null): OldFiles {
  return applied ?? { hashes: new Map(), content: () => null };
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
  const add = (file: PlannedFile): void => {
    const name = outputName(file.path);
    const list = byOutput.get(name);
    if (list) list.push(file);
    else byOutput.set(name, [file]);
  };
  const seen = new Set<string>();
  for (const a of head) {
    seen.add(a.path);
    if (!byOutput.has(outputName(a.path))) byOutput.set(outputName(a.path), []);
    const before = old.hashes.get(a.path) ?? null;
    if (before === a.hash) continue;
    const oldText = before === null ? null : old.content(a.path);
    const diff =
      before !== null && oldText === null ? null : unifiedDiff(a.path, oldText, a.content);
    add({ path: a.path, action: before === null ? "add" : "change", before, after: a.hash, diff });
  }
  for (const [path, hash] of old.hashes) {
    if (seen.has(path)) continue;
    const oldText = old.content(path);
    const diff = oldText === null ? null : unifiedDiff(path, oldText, null);
    add({ path, action: "remove", before: hash, after: null, diff });
  }
  return [...byOutput.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([name, files]) => ({ name, files: files.sort((a, b) => cmp(a.path, b.path)) }));
}
