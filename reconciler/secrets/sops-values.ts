/**
 * The secret values a SOPS file holds, read from its text without decrypting: one per top-level
 * key (`secrets/mail.sops.yaml` key `dkim-key` is `mail/dkim-key`), with where the key is and a
 * digest of its encrypted text. The digest tells one revision's value from another's (sops keeps
 * the ciphertext of a value it did not change); it is never shown, and neither is the text.
 */
import { createHash } from "node:crypto";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { cmp } from "../../core/diagnostics.js";

/** A secret path that has a value: the file and the line of its key (never the value). */
export interface SecretValueRef {
  path: string;
  file: string;
  line: number;
  col: number;
}

/** A value with the sha256 of its encrypted text, to compare revisions. */
export interface SecretValue extends SecretValueRef {
  digest: string;
}

/** A SOPS file's raw text at one revision. */
export interface SecretText {
  file: string;
  text: string;
}

export const SECRETS_DIR = "secrets/";

const SUFFIXES = [".sops.yaml", ".sops.yml", ".sops.json", ".sops.env"] as const;

/**
 * The path prefix of a SOPS file under secrets/ (`secrets/mail.sops.yaml` → `mail`), or null;
 * the same rule as the SOPS backend's (adapters/secrets/sops/secret-files.ts).
 */
export function secretFilePrefix(file: string): string | null {
  if (!file.startsWith(SECRETS_DIR)) return null;
  const rest = file.slice(SECRETS_DIR.length);
  const suffix = SUFFIXES.find((s) => rest.endsWith(s) && rest.length > s.length);
  return suffix ? rest.slice(0, -suffix.length) : null;
}

function digestOf(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `KEY=VALUE` lines (`sops_*` is sops's metadata); an empty value is no value. */
function dotenvValues(file: string, prefix: string, text: string): SecretValue[] {
  const out: SecretValue[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    const eq = line.indexOf("=");
    if (line.trimStart().startsWith("#") || eq <= 0) return;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key.startsWith("sops_") || value === "") return;
    out.push({ path: `${prefix}/${key}`, file, line: i + 1, col: 1, digest: digestOf(value) });
  });
  return out;
}

function documentValues(file: string, prefix: string, text: string): SecretValue[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const out: SecretValue[] = [];
  for (const pair of doc.contents.items) {
    const key = pair.key;
    if (!isScalar(key) || key.range === undefined || key.range === null) continue;
    const name = String(key.value);
    if (name === "sops" || name === "") continue;
    const value = pair.value;
    if (value === null || (isScalar(value) && (value.value === null || value.value === ""))) {
      continue;
    }
    const range = (value as { range?: [number, number, number] | null }).range;
    const encrypted = range ? text.slice(range[0], range[1]) : "";
    const { line, col } = lines.linePos(key.range[0]);
    out.push({ path: `${prefix}/${name}`, file, line, col, digest: digestOf(encrypted) });
  }
  return out;
}

const EMPTY = new Set(["", "null", "~", "''", '""']);

/**
 * sops writes YAML with every top-level key at the start of a line: read those lines without a
 * YAML parser (a file's history is many versions of it). Null when the text is not that simple
 * (a quoted or complex key, a flow mapping): the caller parses it.
 */
function lineValues(file: string, prefix: string, text: string): SecretValue[] | null {
  const lines = text.split("\n");
  const keys: { key: string; line: number; start: number }[] = [];
  let offset = 0;
  const starts: number[] = [];
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const c = line[0];
    if (c === undefined || c === " " || c === "\t" || c === "#" || c === "\r") continue;
    if (line.startsWith("---") || line.startsWith("...")) continue;
    const colon = line.search(/:(\s|$)/);
    if (colon <= 0 || /^["'{[&*!?|>%@`-]/.test(line)) return null;
    keys.push({ key: line.slice(0, colon), line: i + 1, start: starts[i]! + colon + 1 });
  }
  const out: SecretValue[] = [];
  keys.forEach((k, i) => {
    const end = i + 1 < keys.length ? starts[keys[i + 1]!.line - 1]! : text.length;
    const value = text.slice(k.start, end);
    if (k.key === "sops" || EMPTY.has(value.trim())) return;
    out.push({
      path: `${prefix}/${k.key}`,
      file,
      line: k.line,
      col: 1,
      digest: digestOf(value.trim()),
    });
  });
  return out;
}

/** The values in one SOPS file's text (none for a file that does not parse), in file order. */
export function secretValuesInText(file: string, text: string): SecretValue[] {
  const prefix = secretFilePrefix(file);
  if (prefix === null) return [];
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (file.endsWith(".sops.env")) return dotenvValues(file, prefix, body);
  const simple = file.endsWith(".sops.json") ? null : lineValues(file, prefix, body);
  return simple ?? documentValues(file, prefix, body);
}

/** Every value in these files, sorted by path (the first file, by name, wins a duplicate). */
export function secretValues(texts: readonly SecretText[]): SecretValue[] {
  const byPath = new Map<string, SecretValue>();
  const files = [...texts].sort((a, b) => cmp(a.file, b.file));
  for (const t of files) {
    for (const v of secretValuesInText(t.file, t.text))
      if (!byPath.has(v.path)) byPath.set(v.path, v);
  }
  return [...byPath.values()].sort((a, b) => cmp(a.path, b.path));
}
