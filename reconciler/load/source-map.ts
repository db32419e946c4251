/** Maps a JSON pointer into the merged config back to the file, line and column it came from. */
import type { SourcePos } from "../../core/diagnostics.js";
import { parsePointer } from "../../core/json-pointer.js";
import type { SourceMap } from "../../core/model.js";
import { locateIn, type FilePositions } from "./positions.js";

/** Which file owns which part of the merged config. Built while merging. */
export interface SectionOwners {
  /** Map sections (and `lab`): section -> key -> index of the file that defines it. */
  keys: Map<string, Map<string, number>>;
  /** `alerts`: merged index -> the file and the index inside that file's list. */
  alerts: { file: number; index: number }[];
  /** Section -> the first file that has it. */
  first: Map<string, number>;
}

export function emptyOwners(): SectionOwners {
  return { keys: new Map(), alerts: [], first: new Map() };
}

const INDEX = /^(0|[1-9][0-9]*)$/;

/** What a SourceMap is made of: plain data (a cache keeps it, not the closure). */
export interface SourceMapParts {
  files: readonly FilePositions[];
  owners: SectionOwners;
}

const PARTS = new WeakMap<SourceMap, SourceMapParts>();

/** The data a SourceMap made by createSourceMap was made of; undefined for any other. */
export function sourceMapParts(map: SourceMap): SourceMapParts | undefined {
  return PARTS.get(map);
}

/**
 * A SourceMap over the merged config: finds the file that owns the pointer's entry, then walks
 * that file's positions. Nothing is computed until a pointer is looked up.
 */
export function createSourceMap(files: readonly FilePositions[], owners: SectionOwners): SourceMap {
  const root: SourcePos = { file: files[0]?.path ?? ".", line: 1, col: 1 };
  const inFile = (i: number, path: string[], key: boolean): SourcePos =>
    locateIn(files[i]!, path, key);
  const map: SourceMap = {
    locate(pointer, options = {}) {
      const key = options.key ?? false;
      const tokens = parsePointer(pointer);
      const [section, name, ...rest] = tokens;
      if (section === undefined) return root;
      if (section === "alerts" && name !== undefined) {
        const owner = INDEX.test(name) ? owners.alerts[Number(name)] : undefined;
        if (owner) return inFile(owner.file, [section, String(owner.index), ...rest], key);
      } else if (name !== undefined) {
        const owner = owners.keys.get(section)?.get(name);
        if (owner !== undefined) return inFile(owner, tokens, key);
      }
      const first = owners.first.get(section);
      if (first === undefined) return root;
      return inFile(first, [section], key || tokens.length > 1);
    },
  };
  PARTS.set(map, { files, owners });
  return map;
}
