/**
 * When each secret value last changed, from the history of the SOPS files: `git log -p` with the
 * whole file as context (ROTATION_LOG_ARGS), newest first, read here oldest first. A value changed
 * in the commit where its key's encrypted text differs from the version before it (or where the
 * key first appears); a commit that changes other keys, or only sops's own metadata (its MAC and
 * `lastmodified`), does not change it. Pure: the log's text comes in as an argument.
 */
import { secretValuesInText } from "./sops-values.js";

/** The commit that last changed a value. */
export interface Rotation {
  commit: string;
  /** The committer date, UTC, to the second: `2026-01-05T10:00:00Z`. */
  time: string;
}

/** What the history says: the last change of each value, and each value's newest digest. */
export interface RotationHistory {
  rotated: Map<string, Rotation>;
  /** Path → the digest of its encrypted text in the newest commit that holds it. */
  digests: Map<string, string>;
}

/** Commits read at most; a value unchanged over all of them shows the oldest one read. */
export const ROTATION_MAX_COMMITS = 1000;

/** The arguments of `git log` whose output `rotationHistory` reads (paths relative to the repo). */
export const ROTATION_LOG_ARGS: readonly string[] = [
  "-c",
  "core.quotePath=false",
  "log",
  `--max-count=${ROTATION_MAX_COMMITS}`,
  "--relative",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--no-renames",
  "--format=%x01%H %ct",
  "-p",
  "--unified=100000000",
  "--",
  "secrets/",
];

interface FileVersion {
  file: string;
  /** The file's text after the commit; null when the commit deletes it. */
  text: string | null;
}

interface Commit {
  commit: string;
  time: string;
  files: FileVersion[];
}

function utc(seconds: string): string {
  const n = Number(seconds);
  return Number.isFinite(n) ? new Date(n * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") : "";
}

function fileVersion(section: string): FileVersion | null {
  const lines = section.split("\n");
  let file: string | null = null;
  let deleted = false;
  let i = 0;
  for (; i < lines.length && !lines[i]!.startsWith("@@"); i++) {
    const line = lines[i]!;
    if (line.startsWith("+++ /dev/null")) deleted = true;
    else if (line.startsWith("+++ b/")) file = line.slice(6);
    else if (file === null && line.startsWith("diff --git a/")) {
      const b = line.lastIndexOf(" b/");
      if (b > 0) file = line.slice(b + 3);
    }
  }
  if (file === null) return null;
  if (deleted) return { file, text: null };
  const after: string[] = [];
  let noNewline = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const c = line[0];
    if (c === " " || c === "+") after.push(line.slice(1));
    else if (c === "\\" && lines[i - 1]?.[0] !== "-") noNewline = true;
  }
  return { file, text: after.join("\n") + (noNewline || after.length === 0 ? "" : "\n") };
}

function commitsOf(log: string): Commit[] {
  const out: Commit[] = [];
  for (const chunk of log.split("\x01")) {
    if (!chunk) continue;
    const nl = chunk.indexOf("\n");
    const header = (nl < 0 ? chunk : chunk.slice(0, nl)).trim();
    const [commit = "", seconds = ""] = header.split(" ");
    const body = nl < 0 ? "" : chunk.slice(nl + 1);
    const files = body
      .split(/^(?=diff --git )/m)
      .filter((s) => s.startsWith("diff --git "))
      .map(fileVersion)
      .filter((v): v is FileVersion => v !== null);
    out.push({ commit, time: utc(seconds), files });
  }
  return out;
}

/** Reads `git log` output made with ROTATION_LOG_ARGS. */
export function rotationHistory(log: string): RotationHistory {
  const rotated = new Map<string, Rotation>();
  const digests = new Map<string, string>();
  /** File → the paths it held at the previous commit. */
  const held = new Map<string, string[]>();
  for (const c of commitsOf(log).reverse()) {
    const gone = new Set<string>();
    const before = new Map<string, string>();
    for (const v of c.files) {
      for (const path of held.get(v.file) ?? []) {
        before.set(path, digests.get(path)!);
        digests.delete(path);
        gone.add(path);
      }
      held.delete(v.file);
    }
    for (const v of c.files) {
      if (v.text === null) continue;
      const values = secretValuesInText(v.file, v.text);
      held.set(
        v.file,
        values.map((x) => x.path),
      );
      for (const x of values) {
        const was = before.get(x.path) ?? digests.get(x.path);
        if (was !== x.digest) rotated.set(x.path, { commit: c.commit, time: c.time });
        digests.set(x.path, x.digest);
        gone.delete(x.path);
      }
    }
    for (const path of gone) if (!digests.has(path)) rotated.delete(path);
  }
  return { rotated, digests };
}
