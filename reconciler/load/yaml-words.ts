/** Shared pieces of the wording of the `yaml` package's parse errors (see yaml-wording.ts). */
import type { ErrorCode } from "yaml";

/** One parse problem, where it is, and the text around it. */
export interface YamlProblem {
  code: ErrorCode;
  /** The package's message (matched by the rules, never shown). */
  message: string;
  /** Offsets into `text` of the token the package blames. */
  start: number;
  end: number;
  text: string;
}

export interface Worded {
  message: string;
  fix?: string;
  /** A better offset than the package's (e.g. the opening quote of an unclosed string). */
  at?: number;
}

/** Words for the problems of some codes whose package message matches. */
export interface WordingRule {
  codes: readonly ErrorCode[];
  match?: RegExp;
  /** `m`: the groups of `match` (empty without one). */
  say: (p: YamlProblem, m: readonly (string | undefined)[]) => Worded;
}

export const LOOK_AROUND =
  "check the indentation of this line and the brackets and quotes before it";

export function q(s: string): string {
  return JSON.stringify(s);
}

export function clip(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/** The rest of the line from an offset. */
export function restOfLine(text: string, offset: number): string {
  const nl = text.indexOf("\n", offset);
  return text.slice(offset, nl === -1 ? text.length : nl).replace(/\r$/, "");
}

/** The source of the blamed token on one line (the rest of its line when the token is empty). */
export function snippet(p: YamlProblem): string {
  const token = p.text.slice(p.start, p.end).split("\n")[0]!.trim();
  return clip(token || restOfLine(p.text, p.start).trim());
}

/** The text before an offset on its line. */
export function lineBefore(text: string, offset: number): string {
  return text.slice(text.lastIndexOf("\n", offset - 1) + 1, offset);
}

/** The first non-blank character at or after an offset on the same line. */
export function skipBlanks(text: string, offset: number): number {
  let i = offset;
  while (text[i] === " " || text[i] === "\t") i += 1;
  return text[i] === "\n" || text[i] === "\r" || i >= text.length ? offset : i;
}

/** The opening quote of a string still open at `end`: \" escapes a double quote, '' a single. */
export function openingQuote(text: string, end: number, quote: string): number {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"') {
      let slashes = 0;
      while (text[i - 1 - slashes] === "\\") slashes += 1;
      if (slashes % 2 === 0) return i;
    } else {
      let run = 1;
      while (text[i - run] === quote) run += 1;
      if (run % 2 === 1) return i - run + 1;
      i -= run - 1;
    }
  }
  return end;
}

/** For a problem no rule words: where it is, and what to look at. */
export function notYaml(p: YamlProblem): Worded {
  const at = snippet(p);
  return {
    message: at
      ? `this part of the file is not valid YAML: ${q(at)}`
      : "this part of the file is not valid YAML",
    fix: LOOK_AROUND,
  };
}
