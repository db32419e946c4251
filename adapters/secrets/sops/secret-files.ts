/**
 * The SOPS files of a config repo and the secret paths they hold (docs/secrets.md): a file
 * `secrets/<name>.sops.yaml` (or `.sops.yml`, `.sops.json`, `.sops.env`) holds the secrets
 * `<name>/<key>`, one per top-level key. Keys are plaintext in a SOPS file, so what has a value
 * is known without decrypting anything.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { LabError } from "../../../core/errors.js";
import { errnoCode, ioReason } from "../../../core/io-reason.js";

/** The folder of the repo that holds the SOPS files. */
export const SECRETS_DIR = "secrets";

export type SopsFormat = "yaml" | "json" | "dotenv";

/** The suffixes of SOPS files and their formats, longest first. */
const SUFFIXES: readonly (readonly [string, SopsFormat])[] = [
  [".sops.yaml", "yaml"],
  [".sops.yml", "yaml"],
  [".sops.json", "json"],
  [".sops.env", "dotenv"],
];

/** A secret path that has a value, and where its key is. */
export interface SecretValueRef {
  path: string;
  /** Repo-relative, with forward slashes (`secrets/mail.sops.yaml`). */
  file: string;
  line: number;
  col: number;
}

/** The format of a SOPS file by its name, or null when the name is not one of a SOPS file. */
export function sopsFormatOf(file: string): SopsFormat | null {
  for (const [suffix, format] of SUFFIXES) if (file.endsWith(suffix)) return format;
  return null;
}

/** `secrets/mail.sops.yaml` → `mail`: the prefix of the secret paths the file holds. */
export function filePrefix(file: string): string | null {
  if (!file.startsWith(`${SECRETS_DIR}/`)) return null;
  const rest = file.slice(SECRETS_DIR.length + 1);
  for (const [suffix] of SUFFIXES) {
    if (rest.endsWith(suffix) && rest.length > suffix.length) return rest.slice(0, -suffix.length);
  }
  return null;
}

/** `mail/dkim-key` → `{ prefix: "mail", key: "dkim-key" }`; null for a path without a slash. */
export function splitSecretPath(path: string): { prefix: string; key: string } | null {
  const at = path.lastIndexOf("/");
  if (at <= 0 || at === path.length - 1) return null;
  return { prefix: path.slice(0, at), key: path.slice(at + 1) };
}

/** Every SOPS file under `secrets/` of the repo, repo-relative and sorted. */
export async function listSopsFiles(repoRoot: string, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    signal?.throwIfAborted();
    let entries;
    try {
      entries = await readdir(join(repoRoot, rel), { withFileTypes: true });
    } catch (err) {
      if (rel === SECRETS_DIR && errnoCode(err) === "ENOENT") return;
      throw new LabError("IO", `cannot list ${rel}/: ${ioReason(err)}`, { cause: err });
    }
    for (const entry of entries) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && filePrefix(path) !== null) out.push(path);
    }
  }
  await walk(SECRETS_DIR);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/** The top-level keys of a YAML or JSON SOPS file with a value, and their positions. */
function structuredKeys(file: string, text: string): { key: string; line: number; col: number }[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    const why = doc.errors[0]?.message.split("\n")[0] ?? "its top level is not a mapping";
    throw new LabError("INVALID_REPO", `${file} is not a SOPS file: ${why}`);
  }
  const keys: { key: string; line: number; col: number }[] = [];
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (key === "sops") continue;
    const value = isScalar(pair.value) ? pair.value.value : pair.value;
    if (isEmptyValue(value)) continue;
    const at = lineCounter.linePos(pair.key.range?.[0] ?? 0);
    keys.push({ key, line: at.line, col: at.col });
  }
  return keys;
}

/** The keys of a dotenv SOPS file with a value (`KEY=VALUE` lines; `sops_*` is metadata). */
function dotenvKeys(text: string): { key: string; line: number; col: number }[] {
  const keys: { key: string; line: number; col: number }[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    const eq = line.indexOf("=");
    if (line.trimStart().startsWith("#") || eq <= 0) return;
    const key = line.slice(0, eq);
    if (key.startsWith("sops_") || line.slice(eq + 1) === "") return;
    keys.push({ key, line: index + 1, col: 1 });
  });
  return keys;
}

/**
 * The secret paths that have a value in the repo's SOPS files, without decrypting: sorted by
 * path. A key whose value is null or empty has none. A file that cannot be read or parsed is an
 * error naming it.
 */
export async function listSecretValues(
  repoRoot: string,
  signal?: AbortSignal,
): Promise<SecretValueRef[]> {
  const refs: SecretValueRef[] = [];
  for (const file of await listSopsFiles(repoRoot, signal)) {
    const prefix = filePrefix(file)!;
    let text: string;
    try {
      text = await readFile(join(repoRoot, file), { encoding: "utf8", signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new LabError("IO", `cannot read ${file}: ${ioReason(err)}`, { cause: err });
    }
    const keys = sopsFormatOf(file) === "dotenv" ? dotenvKeys(text) : structuredKeys(file, text);
    for (const k of keys) refs.push({ path: `${prefix}/${k.key}`, file, line: k.line, col: k.col });
  }
  return refs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
