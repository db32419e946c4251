/**
 * One canonical writer for JSON and YAML artifacts: sorted keys, LF, a trailing newline.
 *
 * The YAML writer walks JSON-like data (plain objects, arrays, strings, finite or non-finite
 * numbers, booleans, null) and writes exactly the bytes the `yaml` package's `stringify` writes
 * for it with `{ aliasDuplicateObjects: false, lineWidth: 0, indent: 2, version }` — block
 * style, two-space indent, empty collections as `{}` / `[]` — at a small fraction of the cost.
 * A string is written plain when a cheap test proves that is what `yaml` would do; every other
 * string goes through `yaml`'s own scalar writer in the same context, so quoting and block
 * scalars follow it exactly. core/canonical.test.ts checks byte identity with `stringify`.
 */
import { Document, Scalar } from "yaml";
import { stringifyString, type StringifyContext } from "yaml/util";
import { LabError } from "./errors.js";
import { sortedDeep } from "./sorted-deep.js";

type YamlVersion = "1.1" | "1.2";

/** JSON with keys sorted at every level, two-space indent, trailing newline. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedDeep(value), null, 2) + "\n";
}

/**
 * Strings `yaml` writes plain in both versions, as keys and as values: a letter first, then
 * printable ASCII, with a space never last nor before a space or `#`, and a colon never last nor
 * before a space. Words that YAML 1.1 or 1.2 reads as a boolean or null (`no`, `On`, `y`,
 * `NULL`, `False` …, in any letter case here) are left to `yaml`.
 */
const PLAIN = /^[A-Za-z](?:[!-9;-~]|:(?=[!-~])| (?=[!-"$-~]))*$/;
const KEYWORD = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

/**
 * `yaml` takes the string `<<` for YAML 1.1's merge key and writes it plain (a 1.1 reader then
 * merges, where it is a key); kept, for the same bytes.
 */
const MERGE_KEY = "<<";

/** A longer key is written as an explicit `? key` entry, as `yaml` does. */
const MAX_IMPLICIT_KEY = 1024;

/** The `yaml` document whose schema (tags per version) decides how a string must be written. */
const schemaDocs = new Map<YamlVersion, Document>();

function schemaDoc(version: YamlVersion): Document {
  let doc = schemaDocs.get(version);
  if (!doc) {
    doc = new Document(null, { version });
    schemaDocs.set(version, doc);
  }
  return doc;
}

/** The options `stringify` passes to its scalar writer (its defaults, no folding, indent 2). */
const SCALAR_OPTIONS: StringifyContext["options"] = {
  blockQuote: true,
  commentString: (comment: string) => comment.replace(/^(?!$)(?: $)?/gm, "#"),
  defaultKeyType: null,
  defaultStringType: "PLAIN",
  directives: null,
  doubleQuotedAsJSON: false,
  doubleQuotedMinMultiLineLength: 40,
  falseStr: "false",
  flowCollectionPadding: true,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 20,
  nullStr: "null",
  simpleKeys: false,
  singleQuote: null,
  trailingComma: false,
  trueStr: "true",
  verifyAliasOrder: true,
};

interface Writer {
  readonly sort: boolean;
  readonly version: YamlVersion;
}

function yamlString(w: Writer, value: string, indent: string, implicitKey: boolean): string {
  if (PLAIN.test(value) && !KEYWORD.test(value)) return value;
  if (value === MERGE_KEY && w.version === "1.1") return value;
  const ctx: StringifyContext = {
    actualString: true,
    anchors: new Set(),
    doc: schemaDoc(w.version),
    flowCollectionPadding: " ",
    implicitKey,
    indent,
    indentStep: "  ",
    inFlow: null,
    options: SCALAR_OPTIONS,
  };
  return stringifyString(new Scalar(value), ctx);
}

function yamlNumber(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value < 0 ? "-.inf" : ".inf";
  return Object.is(value, -0) ? "-0" : JSON.stringify(value);
}

function isRecord(value: object): value is Readonly<Record<string, unknown>> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An array index key ("0", "17"): JavaScript lists these first, in numeric order. */
function isIndexKey(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

/**
 * The keys written, in order: sorted (index keys first, in numeric order, as a sorted copy of
 * the object lists them), or as the object lists them; keys of undefined values are left out.
 */
function mappingKeys(w: Writer, map: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(map).filter((k) => map[k] !== undefined);
  if (!w.sort) return keys;
  // Object.keys lists index keys first: when the first is not one, none is.
  if (keys.length === 0 || !isIndexKey(keys[0]!)) return keys.sort();
  const indexKeys = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return indexKeys.concat(keys.filter((k) => !isIndexKey(k)).sort());
}

/** `key: value` with the key at the current line's position, its block content at `indent`. */
function yamlPair(w: Writer, key: string, value: unknown, indent: string): string {
  const inner = `${indent}  `;
  const k = yamlString(w, key, inner, true);
  const explicit = k.length > MAX_IMPLICIT_KEY;
  const head = explicit ? `? ${k}\n${indent}:` : `${k}:`;
  const v = yamlNode(w, value, inner);
  const block = !explicit && isCollection(value) && v !== "{}" && v !== "[]";
  return block ? `${head}\n${inner}${v}` : `${head} ${v}`;
}

function isCollection(value: unknown): boolean {
  return value !== null && typeof value === "object";
}

function yamlMapping(w: Writer, map: Readonly<Record<string, unknown>>, indent: string): string {
  const keys = mappingKeys(w, map);
  if (keys.length === 0) return "{}";
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out += `\n${indent}`;
    out += yamlPair(w, key, map[key], indent);
  }
  return out;
}

function yamlSequence(w: Writer, items: readonly unknown[], indent: string): string {
  if (items.length === 0) return "[]";
  const inner = `${indent}  `;
  let out = "";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += `\n${indent}`;
    out += `- ${yamlNode(w, items[i] ?? null, inner)}`;
  }
  return out;
}

/** One value; lines after its first start with their full indentation. */
function yamlNode(w: Writer, value: unknown, indent: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return yamlString(w, value, indent, false);
    case "number":
      return yamlNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (Array.isArray(value)) return yamlSequence(w, value, indent);
      if (isRecord(value)) return yamlMapping(w, value, indent);
      break;
  }
  const kind = typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
  throw new LabError("INTERNAL", `canonicalYaml cannot write a ${kind} value`);
}

/**
 * YAML with keys sorted at every level (unless `sort: false`, for formats whose key order
 * matters), no anchors, no line folding, trailing newline. `version: "1.1"` quotes every string
 * a YAML 1.1 reader (Ruby's Psych, hence Puppet) would take for another type: yes, on, 2024-01-01.
 */
export function canonicalYaml(
  value: unknown,
  options: { sort?: boolean; version?: YamlVersion } = {},
): string {
  const w: Writer = { sort: options.sort !== false, version: options.version ?? "1.2" };
  return yamlNode(w, value, "") + "\n";
}
