/**
 * Compact positions of a parsed file: character offsets per mapping and list, kept instead of the
 * YAML document (which takes several times the memory) and turned into line:col on demand.
 */
import type { SourcePos } from "../../core/diagnostics.js";

/** Where the parts of one mapping or list are, as character offsets into the file. */
export interface ContainerPos {
  /** Mappings: the keys in file order (a duplicate keeps its first place); absent for lists. */
  keys?: string[];
  /** Mappings: key and value offsets interleaved, parallel to `keys`; lists: item offsets. */
  at: number[];
  /** Key -> index into `keys`, built on the first lookup in a big mapping. */
  index?: Map<string, number>;
}

export interface FilePositions {
  path: string;
  /** Offset of the first character of each line. */
  lineStarts: readonly number[];
  /** Offset of the document's content. */
  root: number;
  /** What the file parsed to. */
  value: unknown;
  /** The positions of every mapping and list in `value`, by identity. */
  containers: ReadonlyMap<object, ContainerPos>;
}

/** Mappings with more keys than this get an index on first lookup. */
const INDEX_FROM = 16;

/** 1-based line and column of an offset. */
export function positionAt(file: string, lineStarts: readonly number[], offset: number): SourcePos {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  const start = lineStarts[lo] ?? 0;
  return { file, line: lo + 1, col: Math.max(offset - start + 1, 1) };
}

function keyIndex(pos: ContainerPos & { keys: string[] }, key: string): number {
  if (pos.keys.length <= INDEX_FROM) return pos.keys.indexOf(key);
  if (!pos.index) {
    pos.index = new Map();
    pos.keys.forEach((k, i) => pos.index!.set(k, i));
  }
  return pos.index.get(key) ?? -1;
}

const INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * The offset of the value at `path` (of its key when `key` is set), or of the nearest ancestor
 * that exists (its key where it has one).
 */
export function locateOffset(file: FilePositions, path: readonly string[], key: boolean): number {
  let value: unknown = file.value;
  let at = file.root;
  let keyAt = -1;
  let found = true;
  for (const token of path) {
    const pos =
      value !== null && typeof value === "object" ? file.containers.get(value) : undefined;
    const i = !pos
      ? -1
      : pos.keys
        ? keyIndex(pos as ContainerPos & { keys: string[] }, token)
        : INDEX.test(token)
          ? Number(token)
          : -1;
    if (!pos || i < 0 || i >= (pos.keys ? pos.keys.length : pos.at.length)) {
      found = false;
      break;
    }
    if (pos.keys) {
      keyAt = pos.at[2 * i]!;
      at = pos.at[2 * i + 1]!;
    } else {
      keyAt = -1;
      at = pos.at[i]!;
    }
    value = (value as Record<string, unknown>)[token];
  }
  return (found && !key) || keyAt < 0 ? at : keyAt;
}

export function locateIn(file: FilePositions, path: readonly string[], key: boolean): SourcePos {
  return positionAt(file.path, file.lineStarts, locateOffset(file, path, key));
}
