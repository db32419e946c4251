/** Maps a JSON pointer into the merged config back to the file, line and column it came from. */
import { isAlias, isMap, isScalar, isSeq, type Pair, type YAMLMap } from "yaml";
import type { SourcePos } from "../../core/diagnostics.js";
import { parsePointer } from "../../core/json-pointer.js";
import type { SourceMap } from "../../core/model.js";
import { nodePos, scalarKey, type YamlFile } from "./yaml-file.js";

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

/** Maps with more pairs than this get a lookup index on first use. */
const INDEX_FROM = 16;

/** Finds pairs by key, indexing big mappings lazily (once, on the first lookup). */
export class PairFinder {
  private readonly indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  private readonly file: YamlFile;

  constructor(file: YamlFile) {
    this.file = file;
  }

  find(map: YAMLMap, key: string): Pair | undefined {
    if (map.items.length <= INDEX_FROM) return map.items.find((p) => this.keyOf(p) === key);
    let index = this.indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const k = this.keyOf(pair);
        if (k !== undefined && !index.has(k)) index.set(k, pair);
      }
      this.indexes.set(map, index);
    }
    return index.get(key);
  }

  deref(node: unknown): unknown {
    return isAlias(node) ? this.file.aliases.get(node) : node;
  }

  private keyOf(pair: Pair): string | undefined {
    const key = this.deref(pair.key);
    if (key === null || key === undefined) return "";
    if (isScalar(key)) return scalarKey(key.value);
    return undefined;
  }
}

/** Locates a path inside one file: the node, its key, or the nearest ancestor that exists. */
export function locateInFile(
  file: YamlFile,
  finder: PairFinder | null,
  path: readonly string[],
  key: boolean,
): SourcePos {
  const pairs = finder ?? new PairFinder(file);
  let node: unknown = file.doc.contents;
  let keyNode: unknown = null;
  let found = true;
  for (const token of path) {
    const current = pairs.deref(node);
    if (isMap(current)) {
      const pair = pairs.find(current, token);
      if (!pair) {
        found = false;
        break;
      }
      keyNode = pair.key;
      node = pair.value;
    } else if (
      isSeq(current) &&
      /^(0|[1-9][0-9]*)$/.test(token) &&
      Number(token) < current.items.length
    ) {
      keyNode = null;
      node = current.items[Number(token)];
    } else {
      found = false;
      break;
    }
  }
  const target = (found && !key) || !keyNode ? (node ?? keyNode) : keyNode;
  return nodePos(file, target ?? file.doc.contents);
}

/** A SourceMap over the merged config; nothing is indexed until a pointer is looked up. */
export function createSourceMap(files: readonly YamlFile[], owners: SectionOwners): SourceMap {
  const finders = new Map<number, PairFinder>();
  const finder = (i: number): PairFinder => {
    let f = finders.get(i);
    if (!f) {
      f = new PairFinder(files[i]!);
      finders.set(i, f);
    }
    return f;
  };
  const root: SourcePos = { file: files[0]?.path ?? ".", line: 1, col: 1 };
  const inFile = (i: number, path: string[], key: boolean): SourcePos =>
    locateInFile(files[i]!, finder(i), path, key);
  return {
    locate(pointer, options = {}) {
      const key = options.key ?? false;
      const tokens = parsePointer(pointer);
      const [section, name, ...rest] = tokens;
      if (section === undefined) return root;
      if (section === "alerts" && name !== undefined) {
        const owner = /^(0|[1-9][0-9]*)$/.test(name) ? owners.alerts[Number(name)] : undefined;
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
}
