/**
 * SOPS files in JSON: read keeping key order (through the `yaml` parser, of which JSON is a
 * subset) and written as sops writes them: two-space indentation, one value a line, a final
 * newline. Every JSON number is a float to sops (`type:float`).
 */
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { SopsDocument } from "./sops-document.js";
import { SopsFileError } from "./sops-errors.js";
import type { SopsMapNode, SopsNode } from "./sops-tree.js";
import { scalar } from "./sops-tree.js";

function toTree(file: string, node: unknown): SopsNode {
  if (node === null || node === undefined) return scalar(null);
  if (isMap(node)) {
    return {
      kind: "map",
      entries: node.items.map((pair) => {
        if (!isScalar(pair.key)) throw new SopsFileError(file, "has a key that is not a string");
        return { key: String(pair.key.value), value: toTree(file, pair.value) };
      }),
    };
  }
  if (isSeq(node)) return { kind: "list", items: node.items.map((n) => toTree(file, n)) };
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === "number") return scalar(v, true);
    if (v === null || typeof v === "string" || typeof v === "boolean") return scalar(v);
  }
  throw new SopsFileError(file, "holds a value that is not JSON");
}

/** JSON text of a tree, keys in their order. */
export function jsonText(node: SopsNode, indent = ""): string {
  const inner = `${indent}  `;
  if (node.kind === "scalar") return JSON.stringify(node.value);
  if (node.kind === "list") {
    if (node.items.length === 0) return "[]";
    return `[\n${node.items.map((n) => inner + jsonText(n, inner)).join(",\n")}\n${indent}]`;
  }
  if (node.entries.length === 0) return "{}";
  const lines = node.entries.map(
    (e) => `${inner}${JSON.stringify(e.key)}: ${jsonText(e.value, inner)}`,
  );
  return `{\n${lines.join(",\n")}\n${indent}}`;
}

export function parseSopsJson(file: string, text: string): SopsDocument {
  const empty = text.trim() === "";
  const doc = parseDocument(empty ? "{}" : text, { uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    const why = doc.errors[0]?.message.split("\n")[0] ?? "its top level is not an object";
    throw new SopsFileError(file, `is not valid JSON: ${why}`);
  }
  const all = toTree(file, doc.contents) as SopsMapNode;
  const metaEntry = all.entries.find((e) => e.key === "sops");
  const meta: SopsMapNode =
    metaEntry?.value.kind === "map" ? metaEntry.value : { kind: "map", entries: [] };
  return {
    format: "json",
    data: { kind: "map", entries: all.entries.filter((e) => e.key !== "sops") },
    meta,
    emit(newData, newMeta) {
      const whole: SopsMapNode = {
        kind: "map",
        entries: newMeta ? [...newData.entries, { key: "sops", value: newMeta }] : newData.entries,
      };
      return `${jsonText(whole)}\n`;
    },
  };
}
