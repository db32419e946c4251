/** The parts of a repo that did not load, and the names they may have defined (LoadedRepo.unloaded). */
import { cmp, type Diagnostic } from "../../core/diagnostics.js";
import type { UnloadedPart } from "../../core/model.js";

/** A word that could be a name lab knows: a server, label, group, size, check, secret path, class. */
const NAME_WORD = /[A-Za-z0-9][A-Za-z0-9_.:/-]*/g;
/** Punctuation that ends a word rather than a name: `web-01:`, `end of sentence.` */
const TRAILING = /[.:/-]+$/;

function sortedUnique(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(cmp);
}

/** Every name-like word of a text, de-duplicated and sorted. */
export function nameWords(text: string): string[] {
  const words = new Set<string>();
  for (const [word] of text.matchAll(NAME_WORD)) words.add(word.replace(TRAILING, ""));
  return sortedUnique(words);
}

/** The names a section value defines: its keys, or the `name` of each item of a list. */
export function sectionNames(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  if (!Array.isArray(value)) return sortedUnique(Object.keys(value));
  const names: string[] = [];
  for (const item of value as unknown[]) {
    if (typeof item === "string") names.push(item);
    else if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      const name = (item as Record<string, unknown>).name;
      if (typeof name === "string") names.push(name);
    }
  }
  return sortedUnique(names);
}

/** A whole file (or directory) that did not load; `text` is null when nothing of it was read. */
export function fileUnloaded(path: string, cause: Diagnostic, text: string | null): UnloadedPart {
  return {
    path,
    section: null,
    cause,
    names: text === null ? [] : nameWords(text),
    opaque: text === null,
  };
}

export function sectionUnloaded(
  path: string,
  section: string,
  cause: Diagnostic,
  value: unknown,
): UnloadedPart {
  return { path, section, cause, names: sectionNames(value), opaque: false };
}

/** By path, then section (the whole file first). */
export function compareUnloaded(a: UnloadedPart, b: UnloadedPart): number {
  if (a.path !== b.path) return cmp(a.path, b.path);
  if (a.section === b.section) return 0;
  if (a.section === null) return -1;
  if (b.section === null) return 1;
  return cmp(a.section, b.section);
}
