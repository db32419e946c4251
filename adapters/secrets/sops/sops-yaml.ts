/**
 * SOPS files in YAML through the `yaml` package's Document: read into trees, and written back by
 * changing only the nodes whose value changed, so comments, key order, quoting and every
 * untouched line stay as they were.
 */
import type { Node } from "yaml";
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import type { SopsDocument } from "./sops-document.js";
import { SopsFileError } from "./sops-errors.js";
import type { SopsMapNode, SopsNode } from "./sops-tree.js";
import { scalar } from "./sops-tree.js";

/** A key as sops reads it: the scalar's text (`1`, `"123"` → `123`). */
function keyText(file: string, key: unknown): string {
  if (!isScalar(key)) throw new SopsFileError(file, "has a key that is not a plain scalar");
  if (typeof key.value === "string") return key.value;
  return key.source ?? String(key.value);
}

function toTree(file: string, node: unknown, where: string): SopsNode {
  if (node === null || node === undefined) return scalar(null);
  if (isAlias(node)) throw new SopsFileError(file, `uses an alias at ${where || "the top"}`);
  if (isMap(node)) {
    return {
      kind: "map",
      entries: node.items.map((pair) => {
        const key = keyText(file, pair.key);
        return { key, value: toTree(file, pair.value, `${where}/${key}`) };
      }),
    };
  }
  if (isSeq(node)) {
    return { kind: "list", items: node.items.map((n, i) => toTree(file, n, `${where}/${i}`)) };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || typeof v === "string" || typeof v === "boolean") return scalar(v);
    if (typeof v === "number") {
      const float = !/^[-+]?(0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+)$/.test(node.source ?? "");
      return scalar(v, float);
    }
  }
  throw new SopsFileError(file, `holds a value lab cannot read at ${where || "the top"}`);
}

function newScalar(value: SopsNode & { kind: "scalar" }): Scalar {
  const s = new Scalar(value.value);
  if (typeof value.value === "string" && value.value.includes("\n")) s.type = "BLOCK_LITERAL";
  if (value.float && typeof value.value === "number") s.minFractionDigits = 1;
  // A date would be a timestamp to YAML 1.1 readers (sops's): quoted, as sops writes it.
  if (typeof value.value === "string" && /^\d{4}-\d\d-\d\d/.test(value.value))
    s.type = "QUOTE_DOUBLE";
  return s;
}

/**
 * A key that YAML reads as a number (`1:`) written as the string it is to sops (`"1":`): sops
 * refuses keys that are not strings, and its additional data is the key's text.
 */
function stringKey(old: Scalar, key: string): Scalar {
  const s = new Scalar(key);
  s.commentBefore = old.commentBefore;
  s.spaceBefore = old.spaceBefore;
  s.comment = old.comment;
  return s;
}

/** `old` changed to hold `want`, reusing its nodes (and so their comments and style). */
function reconcile(old: unknown, want: SopsNode): Node {
  if (want.kind === "scalar") {
    if (isScalar(old)) {
      if (old.value !== want.value) {
        old.value = want.value;
        const multiline = typeof want.value === "string" && want.value.includes("\n");
        if (multiline) old.type = "BLOCK_LITERAL";
        else if (old.type === "BLOCK_LITERAL" || old.type === "BLOCK_FOLDED") old.type = "PLAIN";
      }
      return old;
    }
    return newScalar(want);
  }
  if (want.kind === "list") {
    const seq = isSeq(old) ? old : new YAMLSeq();
    seq.items = want.items.map((item, i) => reconcile(seq.items[i], item));
    return seq;
  }
  const map = isMap(old) ? old : new YAMLMap();
  const byKey = new Map<string, Pair>();
  for (const pair of map.items) if (isScalar(pair.key)) byKey.set(keyText("", pair.key), pair);
  map.items = want.entries.map((e) => {
    const pair = byKey.get(e.key) ?? new Pair(new Scalar(e.key));
    if (isScalar(pair.key) && typeof pair.key.value !== "string")
      pair.key = stringKey(pair.key, e.key);
    pair.value = reconcile(pair.value, e.value);
    return pair;
  });
  return map;
}

/** Parse the text of a YAML SOPS file (`meta` is empty when the text has no `sops` key). */
export function parseSopsYaml(file: string, text: string): SopsDocument {
  const doc = parseDocument(text, { uniqueKeys: true, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const why = doc.errors[0]?.message.split("\n")[0] ?? "";
    throw new SopsFileError(file, `is not valid YAML: ${why}`);
  }
  const contents = doc.contents ?? new YAMLMap();
  if (!isMap(contents)) throw new SopsFileError(file, "is not a mapping at its top level");
  const all = toTree(file, contents, "") as SopsMapNode;
  const metaEntry = all.entries.find((e) => e.key === "sops");
  const meta: SopsMapNode =
    metaEntry?.value.kind === "map" ? metaEntry.value : { kind: "map", entries: [] };
  const data: SopsMapNode = { kind: "map", entries: all.entries.filter((e) => e.key !== "sops") };
  return {
    format: "yaml",
    data,
    meta,
    emit(newData, newMeta) {
      const out = text === "" ? new Document(new YAMLMap()) : parseDocument(text);
      const whole: SopsMapNode = {
        kind: "map",
        entries: newMeta ? [...newData.entries, { key: "sops", value: newMeta }] : newData.entries,
      };
      out.contents = reconcile(out.contents, whole);
      return out.toString({ lineWidth: 0 });
    },
  };
}
