/**
 * lab's words for YAML's errors inside a line: quotes, plain values, block headers, anchors,
 * aliases, tags, comments, escapes, directives.
 */
import {
  clip,
  lineBefore,
  notYaml,
  openingQuote,
  q,
  restOfLine,
  snippet,
  type WordingRule,
} from "./yaml-words.js";

const BLOCK_HEADER = {
  message: 'only an indentation digit and "+" or "-" may follow "|" or ">" on its line',
  fix: "move the text to the next line, indented under the key",
};

const SCALARS: readonly WordingRule[] = [
  {
    codes: ["MISSING_CHAR"],
    match: /^Missing closing (["'])quote/,
    say: (p, m) => {
      const quote = m[1]!;
      const double = quote === '"';
      return {
        message: `this ${double ? "double" : "single"}-quoted string is not closed: the closing ${quote} is missing`,
        fix: double
          ? 'add the closing "; inside double quotes write \\" for a quote character'
          : "add the closing '; inside single quotes write '' for a quote character",
        at: openingQuote(p.text, p.start, quote),
      };
    },
  },
  {
    codes: ["BAD_SCALAR_START"],
    match: /cannot start with .*character (.)$/,
    say: (p, m) => {
      const value = restOfLine(p.text, p.start)
        .replace(/\s+#.*$/, "")
        .trim();
      return {
        message: `a plain value cannot start with ${q(m[1]!)}`,
        fix: `quote the value, e.g. ${q(clip(value))}`,
      };
    },
  },
  {
    codes: ["BAD_DQ_ESCAPE"],
    match: /^Invalid escape sequence (.*)$/,
    say: (_p, m) => ({
      message: `${q(m[1]!.replace(/"$/, ""))} is not an escape sequence of double-quoted strings`,
      fix: "write \\\\ for a backslash, or use single quotes, in which a backslash is a plain character",
    }),
  },
  {
    codes: ["UNEXPECTED_TOKEN"],
    match:
      /^(Block scalar header includes extra characters|Unexpected token in block scalar header)/,
    say: () => BLOCK_HEADER,
  },
  {
    codes: ["UNEXPECTED_TOKEN"],
    match: /^Not a YAML token/,
    say: (p) =>
      /[|>][0-9+-]*[ \t]+$/.test(lineBefore(p.text, p.start)) ? BLOCK_HEADER : notYaml(p),
  },
  {
    codes: ["UNEXPECTED_TOKEN"],
    match: /^Unexpected (\S+) at node end/,
    say: (p) => ({
      message: `unexpected ${q(snippet(p))} after the value on this line`,
      fix: "quote the whole value if it is one piece of text, or move the rest to a line of its own",
    }),
  },
  {
    codes: ["MISSING_CHAR"],
    match: /^Comments must be separated/,
    say: () => ({
      message: '"#" starts a comment only after a space; here it follows other text directly',
      fix: 'put a space before the "#", or quote the value if the "#" is part of it',
    }),
  },
];

const PROPERTIES: readonly WordingRule[] = [
  {
    codes: ["BAD_ALIAS"],
    match: /^(Alias|Anchor) cannot be an empty string/,
    say: (_p, m) => {
      const sign = m[1] === "Alias" ? "*" : "&";
      const what = m[1] === "Alias" ? "an alias" : "an anchor";
      return {
        message: `"${sign}" starts ${what}, but no name follows it`,
        fix: `quote the value if "${sign}" is part of the text, or add the name: "${sign}name"`,
      };
    },
  },
  {
    codes: ["BAD_ALIAS"],
    match: /ending in : is ambiguous/,
    say: () => ({
      message: 'an anchor or alias name ending in ":" is ambiguous',
      fix: 'put a space between the name and the ":"',
    }),
  },
  {
    codes: ["MISSING_CHAR"],
    match: /^Tags and anchors must be separated/,
    say: () => ({
      message: "an anchor or tag must be followed by a space",
      fix: "add a space after it",
    }),
  },
  {
    codes: ["MISSING_CHAR"],
    match: /^Missing newline after block sequence props/,
    say: () => ({
      message: 'the anchor or tag of a "- " list must be followed by a line break',
      fix: "put the first item on the next line",
    }),
  },
  {
    codes: ["ALIAS_PROPS"],
    say: () => ({
      message: 'an alias ("*name") cannot have an anchor or tag of its own',
      fix: "remove the anchor or tag before the alias",
    }),
  },
  {
    codes: ["MULTIPLE_ANCHORS"],
    say: () => ({
      message: 'a value can have only one anchor ("&name")',
      fix: "remove one of them",
    }),
  },
  {
    codes: ["MULTIPLE_TAGS"],
    say: () => ({ message: "a value can have only one tag", fix: "remove one of them" }),
  },
  {
    codes: ["BAD_PROP_ORDER"],
    match: /after the (\S+) indicator/,
    say: (_p, m) => ({
      message: `an anchor or tag must come after ${q(m[1]!)}, not before it`,
      fix: `move the anchor or tag after the ${q(m[1]!)}`,
    }),
  },
];

const DIRECTIVES: readonly WordingRule[] = [
  {
    codes: ["MISSING_CHAR"],
    match: /^Missing directives-end/,
    say: () => ({
      message: 'a "%" directive line must be followed by a "---" line',
      fix: 'add "---" after the directives, or quote the value if it is text starting with "%"',
    }),
  },
  {
    codes: ["MISSING_CHAR"],
    match: /^Block collection cannot start on same line with directives-end/,
    say: () => ({
      message: 'a mapping or list cannot start on the "---" line',
      fix: "move it to the next line",
    }),
  },
  {
    codes: ["BAD_DIRECTIVE"],
    match: /^Unknown directive (.*)$/,
    say: (_p, m) => ({
      message: `unknown directive ${q(m[1]!)} (YAML has only %YAML and %TAG); it is ignored`,
      fix: 'remove the line, or quote the value if it is text starting with "%"',
    }),
  },
  {
    codes: ["BAD_DIRECTIVE"],
    match: /^Unsupported YAML version (.*)$/,
    say: (_p, m) => ({
      message: `YAML version ${m[1]} is not one lab reads (it reads YAML 1.2, and 1.1 where a file declares it)`,
      fix: 'write "%YAML 1.2", or remove the directive',
    }),
  },
  {
    codes: ["BAD_DIRECTIVE"],
    match: /^%(YAML|TAG) directive should contain/,
    say: (_p, m) => ({
      message:
        m[1] === "YAML"
          ? 'the %YAML directive takes one version, e.g. "%YAML 1.2"'
          : 'the %TAG directive takes a handle and a prefix, e.g. "%TAG !e! tag:example.com,2000:"',
      fix: "correct the directive, or remove it",
    }),
  },
];

export const TOKEN_RULES: readonly WordingRule[] = [...SCALARS, ...PROPERTIES, ...DIRECTIVES];
