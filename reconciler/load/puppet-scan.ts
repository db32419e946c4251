/**
 * Scans Puppet code for class definitions and the `lab::secret('path')` calls in their bodies.
 * A small tokenizer, not a Puppet parser: it knows comments, strings, variables and braces,
 * which is enough to tell which class body a call is in.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import type {
  PuppetClass,
  PuppetClassParam,
  PuppetIndex,
  PuppetSecretUse,
} from "../../core/model.js";
import { positionAt } from "./positions.js";
import { classParams } from "./puppet-params.js";

interface Token {
  kind: "word" | "string" | "punct";
  text: string;
  offset: number;
  /** A double-quoted string with interpolation: its value is not known statically. */
  dynamic?: boolean;
}

export interface PuppetClassDef {
  name: string;
  pos: SourcePos;
  secrets: PuppetSecretUse[];
  /** Its parameters; null when the list could not be read. */
  params: PuppetClassParam[] | null;
}

const WORD = /[A-Za-z0-9_:]/;

function quoted(text: string, start: number): { end: number; value: string; dynamic: boolean } {
  const quote = text[start];
  let value = "";
  let dynamic = false;
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (quote === '"' && c === "$") dynamic = true;
    value += c;
    i += 1;
  }
  return { end: i + 1, value, dynamic };
}

function skipComment(text: string, i: number): number {
  if (text[i] === "#") {
    const nl = text.indexOf("\n", i);
    return nl === -1 ? text.length : nl;
  }
  const close = text.indexOf("*/", i + 2);
  return close === -1 ? text.length : close + 2;
}

/** Words, strings and the punctuation that matters; comments and variables are skipped. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "#" || (c === "/" && text[i + 1] === "*")) {
      i = skipComment(text, i);
    } else if (c === "'" || c === '"') {
      const q = quoted(text, i);
      tokens.push({ kind: "string", text: q.value, offset: i, dynamic: q.dynamic });
      i = q.end;
    } else if (c === "$") {
      i += 1;
      while (i < text.length && WORD.test(text[i]!)) i += 1;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i]!)) i += 1;
      tokens.push({ kind: "word", text: text.slice(start, i), offset: start });
    } else {
      if ("{}()".includes(c)) tokens.push({ kind: "punct", text: c, offset: i });
      i += 1;
    }
  }
  return tokens;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

const CLASS_NAME = /^(::)?[a-z][a-z0-9_]*(::[a-z][a-z0-9_]*)*$/;
const SECRET_FUNCTION = /^(::)?lab::secret$/;

/** The classes defined in one file, each with the secrets its body reads. */
export function scanPuppetFile(file: string, text: string): PuppetClassDef[] {
  const tokens = tokenize(text);
  const starts = lineStarts(text);
  const pos = (offset: number): SourcePos => positionAt(file, starts, offset);
  const classes: PuppetClassDef[] = [];
  const open: { def: PuppetClassDef; depth: number }[] = [];
  let pending: PuppetClassDef | null = null;
  let depth = 0;
  let parens = 0;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    const next = tokens[t + 1];
    if (tok.kind === "word" && tok.text === "class" && next?.kind === "word") {
      if (CLASS_NAME.test(next.text)) {
        const params = classParams(text, next.offset + next.text.length);
        pending = {
          name: next.text.replace(/^::/, ""),
          pos: pos(tok.offset),
          secrets: [],
          params:
            params &&
            params.map((p) => ({
              name: p.name,
              type: p.type,
              hasDefault: p.hasDefault,
              pos: pos(p.offset),
            })),
        };
      }
      t += 1;
    } else if (tok.kind === "word" && SECRET_FUNCTION.test(tok.text) && next?.text === "(") {
      const arg = tokens[t + 2];
      const owner = open[open.length - 1];
      if (arg?.kind === "string" && !arg.dynamic && owner) {
        owner.def.secrets.push({ path: arg.text, pos: pos(tok.offset) });
      }
    } else if (tok.text === "(" && tok.kind === "punct") {
      parens += 1;
    } else if (tok.text === ")" && tok.kind === "punct") {
      parens = Math.max(0, parens - 1);
    } else if (tok.text === "{" && tok.kind === "punct") {
      depth += 1;
      if (pending && parens === 0) {
        open.push({ def: pending, depth });
        classes.push(pending);
        pending = null;
      }
    } else if (tok.text === "}" && tok.kind === "punct") {
      if (open[open.length - 1]?.depth === depth) open.pop();
      depth = Math.max(0, depth - 1);
    }
  }
  return classes;
}

/** The index over several files, read in path order: the first definition of a class wins. */
export function indexPuppet(files: readonly { path: string; text: string }[]): PuppetIndex {
  const classes: Record<string, PuppetClass> = {};
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, text } of sorted) {
    for (const def of scanPuppetFile(path, text)) {
      if (Object.hasOwn(classes, def.name)) continue;
      classes[def.name] = { pos: def.pos, secrets: def.secrets, params: def.params };
    }
  }
  return { classes };
}
