/**
 * The single walk over a parsed YAML document: nodes to plain data with the positions of every
 * mapping and list, duplicate keys (LAB005), alias expansion bounded (LAB004), nesting bounded
 * (LAB003), and the pointer of each node that carries a tag lab does not read.
 */
import { defineOwn } from "../../core/sorted-deep.js";
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Alias,
  type LineCounter,
  type Node,
  type Pair,
} from "yaml";
import type { Diagnostic, DiagnosticCode, SourcePos } from "../../core/diagnostics.js";
import { toPointer } from "../../core/json-pointer.js";
import { positionAt, type ContainerPos } from "./positions.js";
import type { TagProblem } from "./yaml-problems.js";

/** A file while it is walked. */
export interface YamlSource {
  path: string;
  lines: LineCounter;
}

/** Nodes that aliases may add beyond the literal ones before a file counts as a YAML bomb. */
export const MAX_ALIAS_EXPANSION = 1_000_000;
/** Deeper nesting than this is refused (it would exhaust the stack of every later stage). */
export const MAX_DEPTH = 256;

/** Why a walk stopped early. */
export class WalkAbort extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = "WalkAbort";
    this.diagnostic = diagnostic;
  }
}

/** A scalar key as the string it becomes in the data (`80` -> "80", null -> ""). */
export function scalarKey(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return JSON.stringify(value) ?? "";
}

export function offsetOf(node: unknown): number {
  return (node as Node | null)?.range?.[0] ?? 0;
}

export function nodePos(file: YamlSource, node: unknown): SourcePos {
  return positionAt(file.path, file.lines.lineStarts, offsetOf(node));
}

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

export function diagnosticAt(
  pos: SourcePos,
  code: DiagnosticCode,
  pointer: string,
  message: string,
  related?: SourcePos[],
): Diagnostic {
  return { ...pos, severity: "error", code, pointer, message, ...(related ? { related } : {}) };
}

/** Converts nodes to plain data; an alias shares the value of its anchor (no copy). */
export class Walker {
  readonly diagnostics: Diagnostic[] = [];
  readonly containers = new Map<object, ContainerPos>();
  private readonly file: YamlSource;
  private readonly anchors = new Map<string, Node>();
  private readonly done = new Map<Node, { value: unknown; size: number }>();
  private readonly path: (string | number)[] = [];
  private expanded = 0;
  private size = 0;
  /** Tags lab does not read, by offset; each gets the pointer of the node it is on. */
  private readonly tags: readonly TagProblem[];
  /** Where the last node or key visited starts: a tag after it belongs to the next node. */
  private lastStart = -1;

  constructor(file: YamlSource, tags: readonly TagProblem[]) {
    this.file = file;
    this.tags = tags;
  }

  toValue(node: Node | null | undefined, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node);
    if (this.tags.length > 0) this.visitTagged(offsetOf(node));
    if (depth > MAX_DEPTH) {
      throw new WalkAbort(
        diagnosticAt(
          nodePos(this.file, node),
          "LAB003",
          toPointer(this.path),
          `nesting deeper than ${MAX_DEPTH} levels`,
        ),
      );
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    const sizeBefore = this.size;
    this.size += 1;
    let value: unknown;
    if (isMap(node)) value = this.map(node.items as Pair<Node, Node>[], depth);
    else if (isSeq(node)) value = this.seq(node.items as Node[], depth);
    else value = isScalar(node) ? node.value : null;
    if (node.anchor) this.done.set(node, { value, size: this.size - sizeBefore });
    return value;
  }

  private seq(items: Node[], depth: number): unknown[] {
    const out = new Array<unknown>(items.length);
    const at = new Array<number>(items.length);
    for (let i = 0; i < items.length; i++) {
      this.path.push(i);
      out[i] = this.toValue(items[i], depth + 1);
      at[i] = offsetOf(items[i]);
      this.path.pop();
    }
    this.containers.set(out, { at });
    return out;
  }

  private map(pairs: Pair<Node, Node>[], depth: number): object {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, Pair<Node, Node>>();
    const keys: string[] = [];
    const at: number[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key;
      if (this.tags.length > 0 && keyNode && !isAlias(keyNode)) {
        this.visitTagged(offsetOf(keyNode));
      }
      const key = this.keyString(keyNode, depth);
      const first = seen.get(key);
      if (first) {
        this.duplicate(key, first, pair);
        continue;
      }
      seen.set(key, pair);
      const keyAt = offsetOf(pair.key);
      keys.push(key);
      at.push(keyAt, pair.value ? offsetOf(pair.value) : keyAt);
      this.path.push(key);
      const value = this.toValue(pair.value, depth + 1);
      this.path.pop();
      if (key === "__proto__") defineOwn(out, key, value);
      else out[key] = value;
    }
    this.containers.set(out, { keys, at });
    return out;
  }

  /** In a file with tags lab does not read: a node or key starts here. */
  private visitTagged(start: number): void {
    this.claimTag(start, this.path);
    this.lastStart = start;
  }

  /**
   * A tag written after the start of the node visited before this one and before this node's
   * start is this node's (a tag precedes its node): it gets this node's pointer.
   */
  private claimTag(start: number, path: readonly (string | number)[]): void {
    let lo = 0;
    let hi = this.tags.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.tags[mid]!.offset < start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const tag = found < 0 ? undefined : this.tags[found];
    if (!tag || tag.offset <= this.lastStart || tag.diagnostic.pointer !== "") return;
    tag.diagnostic = { ...tag.diagnostic, pointer: toPointer(path) };
  }

  private keyString(key: Node | null, depth: number): string {
    const target = key && isAlias(key) ? this.resolveAlias(key) : key;
    if (target === null || target === undefined) return "";
    if (isScalar(target)) return scalarKey(target.value);
    return JSON.stringify(this.toValue(target, depth + 1));
  }

  private duplicate(key: string, first: Pair<Node, Node>, again: Pair<Node, Node>): void {
    const firstPos = nodePos(this.file, first.key);
    this.diagnostics.push(
      diagnosticAt(
        nodePos(this.file, again.key),
        "LAB005",
        toPointer([...this.path, key]),
        `duplicate key "${key}" (first at ${formatPos(firstPos)}); the first one is used`,
        [firstPos],
      ),
    );
  }

  private resolveAlias(node: Alias): Node {
    const target = this.anchors.get(node.source);
    if (!target) {
      throw new WalkAbort(
        diagnosticAt(
          nodePos(this.file, node),
          "LAB001",
          toPointer(this.path),
          `YAML syntax error: alias *${node.source} has no anchor &${node.source} before it`,
        ),
      );
    }
    return target;
  }

  private alias(node: Alias): unknown {
    const target = this.resolveAlias(node);
    const done = this.done.get(target);
    if (!done) {
      throw new WalkAbort(
        diagnosticAt(
          nodePos(this.file, node),
          "LAB004",
          toPointer(this.path),
          `alias *${node.source} refers to a node that contains it (endless expansion)`,
        ),
      );
    }
    this.expanded += done.size;
    this.size += done.size;
    if (this.expanded > MAX_ALIAS_EXPANSION) {
      throw new WalkAbort(
        diagnosticAt(
          nodePos(this.file, node),
          "LAB004",
          toPointer(this.path),
          `aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes (a YAML "billion laughs" bomb?); use fewer nested aliases`,
        ),
      );
    }
    return done.value;
  }
}
