/**
 * The fast parse path: js-yaml (several times faster than `yaml`'s document API) with its
 * listener, which reports where every node opens and closes. It handles well-formed files made of
 * plain mappings, lists and scalars, and gives exactly what `parseYamlFile` gives for them (the
 * same data, positions and no diagnostics). Whatever it is not sure of — js-yaml refuses the text
 * or warns, tags, anchors, aliases, explicit keys, directives and document markers, tabs, CRs,
 * empty list items, keys that are not strings or numbers, a root that is not a mapping — returns null,
 * and the caller parses with the reference path, which reports in lab's words.
 */
import jsYaml from "js-yaml";
import type { ContainerPos, FilePositions } from "./positions.js";
import { FAST_SCHEMA } from "./yaml-fast-schema.js";
import type { ParsedFile } from "./yaml-file.js";
import { scalarKey } from "./yaml-walker.js";

/** A node as the listener saw it: where it starts, what it became, the nodes read inside it. */
interface Event {
  open: number;
  depth: number;
  end: number;
  kind: string | null;
  result: unknown;
  children: Event[];
}

/** js-yaml's state as the listener sees it (its types leave out `depth`). */
interface ListenerState {
  position: number;
  depth: number;
  kind: string | null;
  result: unknown;
}

/** Text the fast path leaves to the reference path as a whole: directives, markers, tabs, CRs. */
const UNSURE_TEXT = /[\t\r\u0085\u2028\u2029\ufeff]|^(?:%|---|\.\.\.)/m;

/** Characters that start a node the fast path does not read: tags, anchors, aliases, `?` keys. */
const UNSURE_START = new Set(["!", "&", "*", "?", "%", "@", "`"]);

class Unsure extends Error {}

/** Events as a tree: each node with the nodes js-yaml composed inside it. */
function collectEvents(text: string): Event | null {
  const stack: Event[] = [];
  let root: Event | null = null;
  let warned = false;
  jsYaml.load(text, {
    schema: FAST_SCHEMA,
    onWarning: () => {
      warned = true;
    },
    listener(type, raw) {
      const state = raw as unknown as ListenerState;
      if (type === "open") {
        stack.push({
          open: state.position,
          depth: state.depth,
          end: -1,
          kind: null,
          result: null,
          children: [],
        });
        return;
      }
      const event = stack.pop()!;
      event.end = state.position;
      event.kind = state.kind;
      event.result = state.result;
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(event);
      else root = event;
    },
  });
  return warned ? null : root;
}

/** Where a node's content starts: after the separation space and comments js-yaml skipped. */
function nodeStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a) i++;
    else if (c === 0x23 && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) return text.length;
      i = nl;
    } else break;
  }
  if (UNSURE_START.has(text.charAt(i))) throw new Unsure();
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a;
}

/** A node read through a wrapper (a scalar or flow collection in block position) is its content. */
function unwrap(event: Event): Event {
  let e = event;
  for (;;) {
    const content = e.children.filter((c) => !isAttempt(c));
    if (content.length !== 1 || !Object.is(content[0]!.result, e.result)) return e;
    e = content[0]!;
  }
}

/** A node js-yaml tried to read and found nothing at (a key that is not there). */
function isAttempt(event: Event): boolean {
  return event.kind === null && event.end === event.open;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Walks the events beside the data js-yaml built, recording positions and checking each step. */
class FastWalk {
  readonly containers = new Map<object, ContainerPos>();
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** The node's start; checks that it is content js-yaml composed (no empty node). */
  node(raw: Event): { event: Event; at: number } {
    const event = unwrap(raw);
    if (event.kind === null) throw new Unsure();
    const at = nodeStart(this.text, event.open);
    if (event.kind === "mapping") this.mapping(event);
    else if (event.kind === "sequence") this.sequence(event);
    else if (event.kind !== "scalar" || !event.children.every(isAttempt)) throw new Unsure();
    return { event, at };
  }

  private sequence(event: Event): void {
    const list = event.result;
    if (!Array.isArray(list) || list.length !== event.children.length) throw new Unsure();
    if (this.containers.has(list)) throw new Unsure();
    const at = new Array<number>(list.length);
    for (let i = 0; i < list.length; i++) {
      const item = this.node(event.children[i]!);
      if (!Object.is(item.event.result, list[i])) throw new Unsure();
      at[i] = item.at;
    }
    this.containers.set(list, { at });
  }

  /**
   * A mapping's events are its keys, each followed by its value; in block style js-yaml composes
   * no value for a key with nothing after it, and composes one right after the colon otherwise.
   */
  private mapping(event: Event): void {
    const map = event.result;
    if (!isPlainObject(map) || this.containers.has(map)) throw new Unsure();
    const flow = this.text.charCodeAt(nodeStart(this.text, event.open)) === 0x7b;
    const children = event.children;
    const keys: string[] = [];
    const at: number[] = [];
    const seen = new Set<string>();
    let j = 0;
    while (j < children.length) {
      const keyNode = this.node(children[j++]!);
      const key = this.keyOf(keyNode.event, map, seen);
      const colon = this.colonAfter(keyNode.event.end);
      const next = children[j];
      let valueAt: number;
      if (next && (flow || next.open === colon + 1)) {
        j++;
        valueAt = this.value(next, colon, map[key]);
      } else {
        if (map[key] !== null) throw new Unsure();
        valueAt = skipSpaces(this.text, colon + 1);
      }
      keys.push(key);
      at.push(keyNode.at, valueAt);
    }
    if (Object.keys(map).length !== keys.length) throw new Unsure();
    this.containers.set(map, { keys, at });
  }

  /** The key as the reference path spells it; checks it is the one js-yaml stored, once. */
  private keyOf(event: Event, map: Record<string, unknown>, seen: Set<string>): string {
    const value = event.result;
    if (event.kind !== "scalar" || value === null || typeof value === "object") throw new Unsure();
    const key = scalarKey(value);
    if (seen.has(key) || !Object.hasOwn(map, key)) throw new Unsure();
    seen.add(key);
    return key;
  }

  /** The colon that ends an implicit key, on the key's line. */
  private colonAfter(end: number): number {
    const colon = skipSpaces(this.text, end);
    if (this.text.charCodeAt(colon) !== 0x3a) throw new Unsure();
    return colon;
  }

  /** A value's start: its content, or for an empty one the end of the spaces after the colon. */
  private value(event: Event, colon: number, stored: unknown): number {
    const content = unwrap(event);
    if (content.kind === null) {
      if (stored !== null || content.children.length > 0) throw new Unsure();
      return skipSpaces(this.text, colon + 1);
    }
    const value = this.node(event);
    if (!Object.is(value.event.result, stored)) throw new Unsure();
    return value.at;
  }
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 0x20) i++;
  return i;
}

/** Offsets of the first character of each line, as `yaml`'s LineCounter records them. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  let nl = text.indexOf("\n");
  while (nl >= 0) {
    starts.push(nl + 1);
    nl = text.indexOf("\n", nl + 1);
  }
  return starts;
}

/** Flow brackets open at once, or leading spaces, beyond which the text is left to `yaml`. */
const FLOW_DEPTH_LIMIT = 64;
const INDENT_LIMIT = 256;

/**
 * Whether the text may nest deeper than the fast path goes: js-yaml descends recursively, and a
 * very deep descent can leave V8 too little stack to compile a regular expression — a fatal error,
 * not an exception. Brackets inside quotes count too: an overestimate only means the reference
 * path parses the file (and reports deep nesting in lab's words).
 */
export function mayNestDeep(
  raw: string,
  flowLimit = FLOW_DEPTH_LIMIT,
  indentLimit = INDENT_LIMIT,
): boolean {
  let depth = 0;
  let indent = 0;
  let lineStart = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && c === 32) {
      if (++indent > indentLimit) return true;
      continue;
    }
    lineStart = false;
    if (c === 91 || c === 123) {
      if (++depth > flowLimit) return true;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return false;
}

/**
 * Parses one file's text on the fast path; null when the reference path must parse it. A result
 * is what `parseYamlFile(path, raw)` returns for the same text.
 */
export function parseYamlFast(path: string, raw: string): ParsedFile | null {
  if (UNSURE_TEXT.test(raw) || mayNestDeep(raw)) return null;
  let root: Event | null;
  try {
    root = collectEvents(raw);
  } catch {
    return null;
  }
  if (!root) return null;
  const walk = new FastWalk(raw);
  let top: { event: Event; at: number };
  try {
    top = walk.node(root);
  } catch (err) {
    if (err instanceof Unsure) return null;
    throw err;
  }
  const sections = top.event.result;
  if (top.event.kind !== "mapping" || !isPlainObject(sections)) return null;
  const positions: FilePositions = {
    path,
    lineStarts: lineStartsOf(raw),
    root: top.at,
    value: sections,
    containers: walk.containers,
  };
  return {
    path,
    positions,
    sections,
    sops: Object.hasOwn(sections, "sops"),
    diagnostics: [],
    cause: null,
  };
}
