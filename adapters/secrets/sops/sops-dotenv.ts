/**
 * SOPS files in dotenv form: `KEY=VALUE` lines (a newline in a value written `\n`), `#` comments,
 * and the metadata flattened into `sops_*` keys (`sops_age__list_0__map_recipient`), sorted, at
 * the end — as sops writes them.
 */
import type { SopsDocument } from "./sops-document.js";
import { SopsFileError } from "./sops-errors.js";
import type { SopsMapNode, SopsNode } from "./sops-tree.js";
import { scalar } from "./sops-tree.js";

type Line = { comment: string } | { key: string };

/** `age__list_0__map_enc` → the path `["age", 0, "enc"]`. */
function unflattenKey(flat: string): (string | number)[] {
  const [head = "", ...rest] = flat.split("__");
  return [
    head,
    ...rest.map((part) =>
      part.startsWith("list_") ? Number(part.slice(5)) : part.replace(/^map_/, ""),
    ),
  ];
}

function setPath(root: SopsMapNode, path: (string | number)[], value: string): void {
  let node: SopsNode = root;
  path.forEach((step, i) => {
    const last = i === path.length - 1;
    const next = typeof path[i + 1] === "number" ? "list" : "map";
    if (node.kind === "map" && typeof step === "string") {
      let entry = node.entries.find((e) => e.key === step);
      if (!entry) {
        entry = {
          key: step,
          value: last
            ? scalar(value)
            : next === "list"
              ? { kind: "list", items: [] }
              : { kind: "map", entries: [] },
        };
        node.entries.push(entry);
      }
      node = entry.value;
    } else if (node.kind === "list" && typeof step === "number") {
      node.items[step] ??= last ? scalar(value) : { kind: "map", entries: [] };
      node = node.items[step];
    }
  });
}

function flatten(node: SopsNode, prefix: string, out: [string, string][]): void {
  if (node.kind === "scalar") {
    out.push([prefix, node.value === null ? "" : String(node.value)]);
  } else if (node.kind === "list") {
    node.items.forEach((item, i) => flatten(item, `${prefix}__list_${i}`, out));
  } else {
    const nested = prefix !== "sops";
    for (const e of node.entries)
      flatten(e.value, nested ? `${prefix}__map_${e.key}` : `${prefix}_${e.key}`, out);
  }
}

const escape = (v: string): string => v.replaceAll("\n", "\\n");

export function parseSopsDotenv(file: string, text: string): SopsDocument {
  const lines: Line[] = [];
  const data: SopsMapNode = { kind: "map", entries: [] };
  const meta: SopsMapNode = { kind: "map", entries: [] };
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    if (line === "") return;
    if (line.startsWith("#")) return void lines.push({ comment: line });
    const eq = line.indexOf("=");
    if (eq <= 0) throw new SopsFileError(file, `line ${index + 1} is not KEY=VALUE`);
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).replaceAll("\\n", "\n");
    if (key.startsWith("sops_")) return setPath(meta, unflattenKey(key.slice(5)), value);
    data.entries.push({ key, value: scalar(value) });
    lines.push({ key });
  });
  return {
    format: "dotenv",
    data,
    meta,
    emit(newData, newMeta) {
      const out: string[] = [];
      const values = new Map<string, SopsNode>(newData.entries.map((e) => [e.key, e.value]));
      const written = new Set<string>();
      const valueLine = (key: string, node: SopsNode): string => {
        if (node.kind !== "scalar")
          throw new SopsFileError(file, "a dotenv file holds strings only", { key });
        return `${key}=${escape(node.value === null ? "" : String(node.value))}`;
      };
      for (const line of lines) {
        if ("comment" in line) out.push(line.comment);
        else if (values.has(line.key)) {
          out.push(valueLine(line.key, values.get(line.key)!));
          written.add(line.key);
        }
      }
      for (const e of newData.entries) if (!written.has(e.key)) out.push(valueLine(e.key, e.value));
      const flat: [string, string][] = [];
      if (newMeta) flatten(newMeta, "sops", flat);
      flat.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [k, v] of flat) out.push(`${k}=${escape(v)}`);
      return `${out.join("\n")}\n`;
    },
  };
}
