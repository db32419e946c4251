/** lab's words for YAML's layout errors: indentation, keys, lists, brackets, block text. */
import { clip, q, restOfLine, skipBlanks, snippet, type WordingRule } from "./yaml-words.js";

const INDENT: readonly WordingRule[] = [
  {
    codes: ["TAB_AS_INDENT"],
    say: () => ({
      message: "a tab indents this line; YAML indents with spaces only",
      fix: "replace the tab with spaces",
    }),
  },
  {
    codes: ["BAD_INDENT"],
    match: /^All mapping items must start at the same column/,
    say: (p) => ({
      message: "this key does not line up with the other keys of its mapping",
      fix: "indent it by as many spaces as the keys beside it (further, if it belongs inside the entry above)",
      at: skipBlanks(p.text, p.start),
    }),
  },
  {
    codes: ["BAD_INDENT"],
    match: /^All sequence items must start at the same column/,
    say: (p) => ({
      message: 'this "- " item does not line up with the items before it',
      fix: "start every item of a list at the same column",
      at: skipBlanks(p.text, p.start),
    }),
  },
  {
    codes: ["MISSING_CHAR"],
    match: /^Block scalars with more-indented leading empty lines/,
    say: () => ({
      message: 'this "|" or ">" block starts with blank lines indented more than its text',
      fix: 'give the indentation after the "|" or ">" (e.g. "|2"), or remove the leading blank lines',
    }),
  },
];

const KEYS: readonly WordingRule[] = [
  {
    codes: ["MULTILINE_IMPLICIT_KEY"],
    match: /flow sequence pairs/,
    say: () => ({
      message: 'a "key: value" pair inside [ ] must be on one line',
      fix: 'put the pair on one line, or write it as "{ key: value }"',
    }),
  },
  {
    codes: ["MULTILINE_IMPLICIT_KEY"],
    say: (p) => {
      const first = snippet(p);
      if (first.startsWith("-")) {
        return {
          message: 'a "- " list item cannot follow the "key: value" entries of a mapping',
          fix: 'indent the list under the key it belongs to ("key:" then "  - item")',
        };
      }
      return {
        message: `${q(first)} has no ":" after it, so YAML reads it and the next line as one key`,
        fix: `add ":" after ${q(first)} if it is a key, or "- " before it if it is a list item`,
      };
    },
  },
  {
    codes: ["BLOCK_AS_IMPLICIT_KEY"],
    match: /^Nested mappings/,
    say: (p) => {
      const rest = clip(restOfLine(p.text, p.start).trim());
      if (/:(\s|$)/.test(rest)) {
        return {
          message: `the value ${q(rest)} contains ": ", which would start a mapping inside a one-line value`,
          fix: `quote the value (${q(rest)}), or put the mapping on its own lines under the key`,
        };
      }
      return {
        message:
          "the next line is indented more than this entry, so YAML reads it as part of this value",
        fix: "indent the next line like the keys beside this one",
      };
    },
  },
  {
    codes: ["BLOCK_AS_IMPLICIT_KEY"],
    say: (p) => ({
      message: 'a "- " list cannot be used as a key',
      fix: "indent the list under the key it belongs to, one level deeper",
      at: skipBlanks(p.text, p.start),
    }),
  },
  {
    codes: ["MISSING_CHAR"],
    match: /^Implicit map keys need to be followed by map values/,
    say: (p) => {
      const line = snippet(p);
      const glued = /^([^\s:]+):(\S.*)$/.exec(line);
      if (glued) {
        return {
          message: `${q(line)} has no space after ":", so YAML reads it as text, not as "key: value"`,
          fix: `write ${q(`${glued[1]}: ${glued[2]}`)}`,
        };
      }
      return {
        message: `${q(line)} is a line of text inside a mapping, where every entry is "key: value"`,
        fix: 'add ": value" after it, or "- " before it if this should be a list',
      };
    },
  },
  {
    codes: ["KEY_OVER_1024_CHARS"],
    say: () => ({
      message: "a key on one line may be at most 1024 characters long",
      fix: "shorten the key",
    }),
  },
];

const LISTS: readonly WordingRule[] = [
  {
    codes: ["MISSING_CHAR"],
    match: /^Sequence item without - indicator/,
    say: (p) => ({
      message: 'this line is inside a list but does not start with "- "',
      fix: 'start it with "- ", or indent it further if it continues the item above',
      at: skipBlanks(p.text, p.start),
    }),
  },
  {
    codes: ["UNEXPECTED_TOKEN"],
    match: /^Unexpected block-seq-ind on same line with key/,
    say: () => ({
      message: 'a "- " list cannot start on the same line as its key',
      fix: 'put each item on its own line under the key ("key:" then "  - item"), or quote the value',
    }),
  },
];

const BRACKETS: readonly WordingRule[] = [
  {
    codes: ["BAD_INDENT", "MISSING_CHAR"],
    match:
      /^Flow (sequence|map) (?:in block collection )?must (?:be sufficiently indented and )?end with an? ([\]}])/,
    say: (p, m) => {
      const open = m[2] === "]" ? "[" : "{";
      const what = `the ${m[1] === "map" ? "mapping" : "list"} opened with "${open}"`;
      return p.code === "MISSING_CHAR"
        ? {
            message: `${what} is not closed before the end of the file`,
            fix: `add the closing "${m[2]}"`,
          }
        : {
            message: `${what} is not closed: "${m[2]}" is missing before this point`,
            fix: `close it with "${m[2]}", or indent the lines that continue it further than its key`,
          };
    },
  },
  {
    codes: ["BLOCK_IN_FLOW"],
    say: () => ({
      message:
        "a list or mapping in block form (items on lines of their own) cannot be inside [ ] or { }",
      fix: 'close the bracket first, or write the items inline: "[a, b]", "{ k: v, l: w }"',
    }),
  },
  {
    codes: ["MISSING_CHAR"],
    match: /^Missing , (or : )?between flow (sequence|map) items/,
    say: (_p, m) => ({
      message: `a "," ${m[1] ? '(or ":") ' : ""}is missing between two items of this ${m[2] === "map" ? "mapping" : "list"}`,
      fix: 'separate the items with ", "',
    }),
  },
  {
    codes: ["UNEXPECTED_TOKEN"],
    match: /^Unexpected (, in flow|empty item in flow)/,
    say: () => ({
      message: 'an empty item: two "," with nothing between them',
      fix: 'remove the extra ","',
    }),
  },
  {
    codes: ["UNEXPECTED_TOKEN"],
    match: /^Unexpected flow-(seq|map)-end token in YAML (?:stream|document)/,
    say: (_p, m) => {
      const [open, close] = m[1] === "seq" ? ["[", "]"] : ["{", "}"];
      return {
        message: `unexpected "${close}" with no "${open}" open`,
        fix: `remove it, or add the "${open}" it closes`,
      };
    },
  },
];

export const LAYOUT_RULES: readonly WordingRule[] = [...INDENT, ...KEYS, ...LISTS, ...BRACKETS];
