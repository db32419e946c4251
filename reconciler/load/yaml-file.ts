/**
 * One config file: parsed once with positions, turned into plain data by a single walk that also
 * finds duplicate keys and bounds alias expansion (YAML bombs).
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
} from "yaml";
import type { Diagnostic, DiagnosticCode, SourcePos } from "../../core/diagnostics.js";
import { toPointer } from "../../core/json-pointer.js";
import { positionAt, type ContainerPos, type FilePositions } from "./positions.js";

/** A file while it is parsed; only its compact positions are kept afterwards. */
interface YamlFile {
  path: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export interface ParsedFile {
  path: string;
  /** Where everything in `sections` is; null when the file is broken or not a mapping. */
  positions: FilePositions | null;
  /** Top-level keys as plain data; null when the file is broken or not a mapping. */
  sections: Record<string, unknown> | null;
  /** The file has a top-level `sops:` key: it belongs to the secrets backend. */
  sops: boolean;
  diagnostics: Diagnostic[];
}

/** Nodes that aliases may add beyond the literal ones before a file counts as a YAML bomb. */
export const MAX_ALIAS_EXPANSION = 1_000_000;
/** Deeper nesting than this is refused (it would exhaust the stack of every later stage). */
export const MAX_DEPTH = 256;

/** Why a walk stopped early. */
class WalkAbort extends Error {
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

function offsetOf(node: unknown): number {
  return (node as Node | null)?.range?.[0] ?? 0;
}

function nodePos(file: YamlFile, node: unknown): SourcePos {
  return positionAt(file.path, file.lines.lineStarts, offsetOf(node));
}

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

function diagnosticAt(
  pos: SourcePos,
  code: DiagnosticCode,
  pointer: string,
  message: string,
  related?: SourcePos[],
): Diagnostic {
  return { ...pos, severity: "error", code, pointer, message, ...(related ? { related } : {}) };
}

/** Parses one file's text. Never throws on bad input: every problem is a diagnostic. */
export function parseYamlFile(path: string, raw: string): ParsedFile {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const yaml: YamlFile = { path, doc, lines };
  const broken = (diagnostics: Diagnostic[]): ParsedFile => ({
    path,
    positions: null,
    sections: null,
    sops: false,
    diagnostics,
  });
  if (doc.errors.length > 0) return broken(syntaxDiagnostics(yaml, doc.errors));
  const walker = new Walker(yaml);
  let value: unknown;
  try {
    value = walker.toValue(doc.contents, 0);
  } catch (err) {
    if (err instanceof WalkAbort) return broken([err.diagnostic]);
    throw err;
  }
  const positions: FilePositions = {
    path,
    lineStarts: lines.lineStarts,
    root: offsetOf(doc.contents),
    value,
    containers: walker.containers,
  };
  return toParsedFile(yaml, positions, walker.diagnostics);
}

function toParsedFile(
  yaml: YamlFile,
  positions: FilePositions,
  diagnostics: Diagnostic[],
): ParsedFile {
  const value = positions.value;
  const base = { path: yaml.path, positions, diagnostics };
  if (value === null || value === undefined) return { ...base, sections: {}, sops: false };
  if (typeof value !== "object" || Array.isArray(value)) {
    const got = Array.isArray(value) ? "a list" : `the ${typeof value} ${JSON.stringify(value)}`;
    const d = diagnosticAt(
      nodePos(yaml, yaml.doc.contents),
      "LAB002",
      "",
      `a config file must be a mapping of sections (lab, labels, groups, alerts, sizes, servers, secrets), got ${got}`,
    );
    return {
      ...base,
      positions: null,
      sections: null,
      sops: false,
      diagnostics: [...diagnostics, d],
    };
  }
  const sections = value as Record<string, unknown>;
  return { ...base, sections, sops: Object.hasOwn(sections, "sops") };
}

/** One diagnostic per distinct error; running out of stack (deep nesting) is a size limit. */
function syntaxDiagnostics(yaml: YamlFile, errors: readonly YAMLError[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const pos = posAt(yaml, e.pos[0]);
    const exhausted = e.code === "RESOURCE_EXHAUSTION";
    const d = exhausted
      ? diagnosticAt(pos, "LAB003", "", "nesting too deep to parse")
      : diagnosticAt(pos, "LAB001", "", `YAML syntax error: ${e.message}`);
    const id = `${d.line}:${d.col} ${d.code} ${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  return out;
}

function posAt(file: YamlFile, offset: number): SourcePos {
  return positionAt(file.path, file.lines.lineStarts, offset);
}

/** Converts nodes to plain data; an alias shares the value of its anchor (no copy). */
class Walker {
  readonly diagnostics: Diagnostic[] = [];
  readonly containers = new Map<object, ContainerPos>();
  private readonly file: YamlFile;
  private readonly anchors = new Map<string, Node>();
  private readonly done = new Map<Node, { value: unknown; size: number }>();
  private readonly path: (string | number)[] = [];
  private expanded = 0;
  private size = 0;

  constructor(file: YamlFile) {
    this.file = file;
  }

  toValue(node: Node | null | undefined, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node);
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
      const key = this.keyString(pair.key, depth);
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
      if (key === "__proto__") {
        Object.defineProperty(out, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        out[key] = value;
      }
    }
    this.containers.set(out, { keys, at });
    return out;
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
