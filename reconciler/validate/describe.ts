/** Words for messages: values, types, places in the config, lists of valid names. */
import { parsePointer } from "../../core/json-pointer.js";
import { didYouMean } from "../../core/suggest.js";

/** How many valid names a message lists before "and N more". */
const LIST_LIMIT = 12;

/** A short, quoted rendering of a value from the config. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const s = value.length > 60 ? value.slice(0, 57) + "..." : value;
    return `the string ${JSON.stringify(s)}`;
  }
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return String(value);
  return typeof value;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  null: "null",
};

export function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" or ");
}

/** `servers.web-01.labels[0]` for `/servers/web-01/labels/0`; "the repo" for "". */
export function placeOf(pointer: string): string {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return "the repo";
  return tokens
    .map((t, i) => (/^(0|[1-9][0-9]*)$/.test(t) && i > 0 ? `[${t}]` : (i > 0 ? "." : "") + t))
    .join("");
}

/** The last key of a pointer, skipping list indexes: `labels` for `/servers/x/labels/0`. */
export function fieldOf(pointer: string): string {
  const tokens = parsePointer(pointer);
  for (let i = tokens.length - 1; i >= 0; i--) {
    if (!/^(0|[1-9][0-9]*)$/.test(tokens[i]!)) return tokens[i]!;
  }
  return "value";
}

/** `a, b, c` — at most LIST_LIMIT of them, sorted, then "and N more". */
export function listNames(names: Iterable<string>): string {
  const all = [...names].sort();
  if (all.length <= LIST_LIMIT) return all.join(", ");
  return `${all.slice(0, LIST_LIMIT).join(", ")} and ${all.length - LIST_LIMIT} more`;
}

/** `unknown size "xlarge" (did you mean "large"?); known sizes: large, medium, small`. */
export function unknownName(kind: string, value: string, known: ReadonlySet<string>): string {
  const choices =
    known.size > 0 ? `known ${kind}s: ${listNames(known)}` : `no ${kind}s are defined`;
  return `unknown ${kind} "${value}"${didYouMean(value, known)}; ${choices}`;
}
