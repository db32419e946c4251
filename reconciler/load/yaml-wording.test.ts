import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { parseYamlFile, YAML_PARSE_OPTIONS } from "./yaml-file.js";
import { wordingRuleFor, WORDING_RULES, wordYamlProblem } from "./yaml-wording.js";

/**
 * One real input per wording rule, with what `lab validate` says about it (position, severity,
 * code, message and fix), exactly. A new version of the yaml package that changes a message
 * makes its case fall back to the generic wording and fail here.
 */
const CASES: readonly (readonly [string, string])[] = [
  [
    "servers:\n\tweb-2: {}\n",
    "2:1 error LAB001 YAML syntax error: a tab indents this line; YAML indents with spaces only | replace the tab with spaces",
  ],
  [
    "servers:\n  a: 1\n b: 2\n",
    "3:2 error LAB001 YAML syntax error: this key does not line up with the other keys of its mapping | indent it by as many spaces as the keys beside it (further, if it belongs inside the entry above)",
  ],
  [
    "a:\n  - x\n  - y\n - z\n",
    '4:2 error LAB001 YAML syntax error: a "- " list cannot be used as a key | indent the list under the key it belongs to, one level deeper',
  ],
  [
    "a: |\n   \n  x\n",
    '3:3 error LAB001 YAML syntax error: this "|" or ">" block starts with blank lines indented more than its text | give the indentation after the "|" or ">" (e.g. "|2"), or remove the leading blank lines',
  ],
  [
    "a: [b\n  c: d]\n",
    '1:5 error LAB001 YAML syntax error: a "key: value" pair inside [ ] must be on one line | put the pair on one line, or write it as "{ key: value }"',
  ],
  [
    "a: 1\n- b\n",
    '2:1 error LAB001 YAML syntax error: a "- " list item cannot follow the "key: value" entries of a mapping | indent the list under the key it belongs to ("key:" then "  - item")',
  ],
  [
    "servers:\n  web-01\n    provider: aws\n",
    '2:3 error LAB001 YAML syntax error: "web-01" has no ":" after it, so YAML reads it and the next line as one key | add ":" after "web-01" if it is a key, or "- " before it if it is a list item',
  ],
  [
    "a: b: c\n",
    '1:4 error LAB001 YAML syntax error: the value "b: c" contains ": ", which would start a mapping inside a one-line value | quote the value ("b: c"), or put the mapping on its own lines under the key',
  ],
  [
    "servers:\n  a: 1\n   b: 2\n  c: 3\n",
    "2:6 error LAB001 YAML syntax error: the next line is indented more than this entry, so YAML reads it as part of this value | indent the next line like the keys beside this one",
  ],
  [
    "- a\n- b: 1\n  - c\n",
    '3:3 error LAB001 YAML syntax error: a "- " list cannot be used as a key | indent the list under the key it belongs to, one level deeper',
  ],
  [
    "a:\n  b: 1\nc:d\n",
    '3:1 error LAB001 YAML syntax error: "c:d" has no space after ":", so YAML reads it as text, not as "key: value" | write "c: d"',
  ],
  [
    "a:\n  b: 1\nplain text\n",
    '3:1 error LAB001 YAML syntax error: "plain text" is a line of text inside a mapping, where every entry is "key: value" | add ": value" after it, or "- " before it if this should be a list',
  ],
  [
    "x" + "y".repeat(1100) + ": 1\n",
    "1:1 error LAB001 YAML syntax error: a key on one line may be at most 1024 characters long | shorten the key",
  ],
  [
    "- - a\n  b: c\n",
    '2:3 error LAB001 YAML syntax error: this line is inside a list but does not start with "- " | start it with "- ", or indent it further if it continues the item above',
  ],
  [
    "a: - x\n",
    '1:4 error LAB001 YAML syntax error: a "- " list cannot start on the same line as its key | put each item on its own line under the key ("key:" then "  - item"), or quote the value',
  ],
  [
    "a: [1, 2\nb: 3\n",
    '2:1 error LAB001 YAML syntax error: the list opened with "[" is not closed: "]" is missing before this point | close it with "]", or indent the lines that continue it further than its key',
  ],
  [
    "{a: 1\n",
    '2:1 error LAB001 YAML syntax error: the mapping opened with "{" is not closed before the end of the file | add the closing "}"',
  ],
  [
    "a: {b: 1 c: 2}\n",
    '1:8 error LAB001 YAML syntax error: a list or mapping in block form (items on lines of their own) cannot be inside [ ] or { } | close the bracket first, or write the items inline: "[a, b]", "{ k: v, l: w }"',
  ],
  [
    "a:\n  [b: {}\n  c: {}\n",
    '3:3 error LAB001 YAML syntax error: a "," is missing between two items of this list | separate the items with ", "',
  ],
  [
    'a: ["b" "c"]\n',
    '1:9 error LAB001 YAML syntax error: a "," (or ":") is missing between two items of this list | separate the items with ", "',
  ],
  [
    "a: [b,, c]\n",
    '1:7 error LAB001 YAML syntax error: an empty item: two "," with nothing between them | remove the extra ","',
  ],
  [
    "a: 1\n]\n",
    '2:1 error LAB001 YAML syntax error: unexpected "]" with no "[" open | remove it, or add the "[" it closes',
  ],
  [
    "a: 1\n}\n",
    '2:1 error LAB001 YAML syntax error: unexpected "}" with no "{" open | remove it, or add the "{" it closes',
  ],
  [
    "]\na: 1\n",
    '1:1 error LAB001 YAML syntax error: unexpected "]" with no "[" open | remove it, or add the "[" it closes',
  ],
  [
    "a: 'it''s\nb: 2\n",
    "1:4 error LAB001 YAML syntax error: this single-quoted string is not closed: the closing ' is missing | add the closing '; inside single quotes write '' for a quote character",
  ],
  [
    'a: "say \\"hi\\"\nb: 2\n',
    '1:4 error LAB001 YAML syntax error: this double-quoted string is not closed: the closing " is missing | add the closing "; inside double quotes write \\" for a quote character',
  ],
  [
    "a: @x\n",
    '1:4 error LAB001 YAML syntax error: a plain value cannot start with "@" | quote the value, e.g. "@x"',
  ],
  [
    "a: ,x # note\n",
    '1:4 error LAB001 YAML syntax error: a plain value cannot start with "," | quote the value, e.g. ",x"',
  ],
  [
    'a: "bad \\q"\n',
    '1:9 error LAB001 YAML syntax error: "\\\\q" is not an escape sequence of double-quoted strings | write \\\\ for a backslash, or use single quotes, in which a backslash is a plain character',
  ],
  [
    "a: |x\n  t\n",
    '1:5 error LAB001 YAML syntax error: only an indentation digit and "+" or "-" may follow "|" or ">" on its line | move the text to the next line, indented under the key',
  ],
  [
    "a:\n  b: >  c\n",
    '2:9 error LAB001 YAML syntax error: only an indentation digit and "+" or "-" may follow "|" or ">" on its line | move the text to the next line, indented under the key',
  ],
  [
    "a:\n  - - x\n   - y\n",
    '3:4 error LAB001 YAML syntax error: this "- " item does not line up with the items before it | start every item of a list at the same column',
  ],
  [
    "x:\n  a: b\n  c: d\n  e f g: h: i\n",
    '4:10 error LAB001 YAML syntax error: the value "h: i" contains ": ", which would start a mapping inside a one-line value | quote the value ("h: i"), or put the mapping on its own lines under the key',
  ],
  [
    "a: 'x' y\n",
    '1:8 error LAB001 YAML syntax error: unexpected "y" after the value on this line | quote the whole value if it is one piece of text, or move the rest to a line of its own',
  ],
  [
    "a: 'b'#c\n",
    '1:7 error LAB001 YAML syntax error: "#" starts a comment only after a space; here it follows other text directly | put a space before the "#", or quote the value if the "#" is part of it',
  ],
  [
    "a: &\n",
    '1:4 error LAB001 YAML syntax error: "&" starts an anchor, but no name follows it | quote the value if "&" is part of the text, or add the name: "&name"',
  ],
  [
    "a: *\n",
    '1:4 error LAB001 YAML syntax error: "*" starts an alias, but no name follows it | quote the value if "*" is part of the text, or add the name: "*name"',
  ],
  [
    "a: &x: 1\n",
    '1:6 warning LAB001 an anchor or alias name ending in ":" is ambiguous | put a space between the name and the ":"',
  ],
  [
    "a: &x[1]\n",
    "1:6 error LAB001 YAML syntax error: an anchor or tag must be followed by a space | add a space after it",
  ],
  [
    "&a - x\n",
    '1:1 error LAB001 YAML syntax error: the anchor or tag of a "- " list must be followed by a line break | put the first item on the next line',
  ],
  [
    "a: !!str *x\n",
    '1:10 error LAB001 YAML syntax error: an alias ("*name") cannot have an anchor or tag of its own | remove the anchor or tag before the alias',
  ],
  [
    "a: &x &y 1\n",
    '1:7 error LAB001 YAML syntax error: a value can have only one anchor ("&name") | remove one of them',
  ],
  [
    "a: !!str !!int 1\n",
    "1:10 error LAB001 YAML syntax error: a value can have only one tag | remove one of them",
  ],
  [
    "&a ? x\n: y\n",
    '1:4 error LAB001 YAML syntax error: an anchor or tag must come after "?", not before it | move the anchor or tag after the "?"',
  ],
  [
    "%YAML 1.2\na: 1\n",
    '2:1 error LAB001 YAML syntax error: a "%" directive line must be followed by a "---" line | add "---" after the directives, or quote the value if it is text starting with "%"',
  ],
  [
    "--- a: 1\n",
    '1:5 error LAB001 YAML syntax error: a mapping or list cannot start on the "---" line | move it to the next line',
  ],
  [
    "%FOO bar\n---\na: 1\n",
    '1:1 warning LAB001 unknown directive "%FOO" (YAML has only %YAML and %TAG); it is ignored | remove the line, or quote the value if it is text starting with "%"',
  ],
  [
    "%YAML 1.3\n---\na: 1\n",
    '1:7 warning LAB001 YAML version 1.3 is not one lab reads (it reads YAML 1.2, and 1.1 where a file declares it) | write "%YAML 1.2", or remove the directive',
  ],
  [
    "%YAML\n---\na: 1\n",
    '1:1 error LAB001 YAML syntax error: the %YAML directive takes one version, e.g. "%YAML 1.2" | correct the directive, or remove it',
  ],
  [
    "%TAG !\n---\na: 1\n",
    '1:1 error LAB001 YAML syntax error: the %TAG directive takes a handle and a prefix, e.g. "%TAG !e! tag:example.com,2000:" | correct the directive, or remove it',
  ],
];

function said(text: string): string[] {
  return parseYamlFile("f.yaml", text).diagnostics.map(
    (d) => `${d.line}:${d.col} ${d.severity} ${d.code} ${d.message}${d.fix ? ` | ${d.fix}` : ""}`,
  );
}

/** The rule that words the first problem the package reports for a text. */
function ruleOf(text: string): number {
  const doc = parseDocument(text, YAML_PARSE_OPTIONS);
  const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0] ?? doc.warnings[0];
  if (!first) return -1;
  const { code, message, pos } = first;
  return wordingRuleFor({ code, message, start: pos[0], end: pos[1], text });
}

describe("YAML errors in lab's words", () => {
  it.each(CASES)("%j", (text, expected) => {
    expect(said(text)).toEqual([expected]);
  });

  it("has a real input for every rule", () => {
    const used = new Set(CASES.map(([text]) => ruleOf(text)));
    const unused = WORDING_RULES.map((_, i) => i).filter((i) => !used.has(i));
    expect(unused).toEqual([]);
    expect(used.has(-1)).toBe(false);
  });

  it("says where a problem no rule knows is, in lab's words", () => {
    const text = "a: b\n";
    expect(
      wordYamlProblem({
        code: "IMPOSSIBLE",
        message: "Map comment with trailing content",
        start: 3,
        end: 4,
        text,
      }),
    ).toEqual({
      message: 'this part of the file is not valid YAML: "b"',
      fix: "check the indentation of this line and the brackets and quotes before it",
    });
  });

  it("never passes on the package's own words or API advice", () => {
    for (const [text] of CASES) {
      for (const line of said(text)) {
        expect(line).not.toMatch(
          /parseAllDocuments|Implicit|indicator|token|YAMLParseError|at line \d/,
        );
      }
    }
  });
});
