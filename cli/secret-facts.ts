/**
 * What the secrets views add to the model, read at the edge: which paths have a value (the SOPS
 * files under secrets/, never decrypted) and when each value last changed (the files' Git
 * history, one `git log -p` of secrets/). Nothing here reads or prints a value.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LabError } from "../core/errors.js";
import type { SecretValueRef } from "../reconciler/secrets/sops-values.js";

/** A value's last change: a UTC time, or `uncommitted` when the file on disk differs from Git. */
export type LastRotated = string;

export interface SecretFacts {
  /** Path → where its value is. */
  values: ReadonlyMap<string, SecretValueRef>;
  /** Path → its last change; absent when unknown (not a Git repo, no value, git missing). */
  rotated: ReadonlyMap<string, LastRotated>;
}

export const NO_FACTS: SecretFacts = { values: new Map(), rotated: new Map() };

/** How long the history may take before the views go without it. */
const HISTORY_TIMEOUT_MS = 20_000;

/** The paths with a value, from the SOPS backend's listing. */
export async function secretValueRefs(
  root: string,
  signal?: AbortSignal,
): Promise<SecretValueRef[]> {
  const { listSecretValues } = await import("../adapters/secrets/sops/secret-files.js");
  return listSecretValues(root, signal);
}

/** The texts of these files on disk (those that cannot be read left out). */
async function textsOf(root: string, files: readonly string[], signal?: AbortSignal) {
  const texts = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, text: await readFile(join(root, file), { encoding: "utf8", signal }) };
      } catch {
        return null;
      }
    }),
  );
  return texts.filter((t) => t !== null);
}

/** The history of secrets/ (ROTATION_LOG_ARGS), or null without one. */
async function historyLog(root: string, signal: AbortSignal): Promise<string | null> {
  const [{ runGit }, { ROTATION_LOG_ARGS }] = await Promise.all([
    import("../adapters/git/native-run.js"),
    import("../reconciler/secrets/rotation.js"),
  ]);
  try {
    return (await runGit(["-C", root, ...ROTATION_LOG_ARGS], { signal })).toString("utf8");
  } catch (err) {
    // Not a Git repo, no commit yet, git not installed, or too slow: the views show "-".
    if (err instanceof LabError || signal.aborted) return null;
    if (err instanceof Error && err.name === "GitCommandError") return null;
    throw err;
  }
}

/**
 * Path → last change of each value in `files` (the SOPS files on disk), from `log` (the history
 * of secrets/, or null without one).
 */
export async function lastRotations(
  root: string,
  files: readonly string[],
  log: string | null,
  signal?: AbortSignal,
): Promise<Map<string, LastRotated>> {
  if (log === null || !files.length) return new Map();
  const [{ rotationHistory }, { secretValues }] = await Promise.all([
    import("../reconciler/secrets/rotation.js"),
    import("../reconciler/secrets/sops-values.js"),
  ]);
  const history = rotationHistory(log);
  const out = new Map<string, LastRotated>();
  for (const v of secretValues(await textsOf(root, files, signal))) {
    const rotation = history.rotated.get(v.path);
    const committed = history.digests.get(v.path) === v.digest;
    out.set(v.path, committed && rotation ? rotation.time : "uncommitted");
  }
  return out;
}

/** Values and, when `history`, their last changes (the history read while the files are). */
export async function secretFacts(root: string, history: boolean): Promise<SecretFacts> {
  const signal = AbortSignal.timeout(HISTORY_TIMEOUT_MS);
  const [refs, log] = await Promise.all([
    secretValueRefs(root),
    history ? historyLog(root, signal) : Promise.resolve(null),
  ]);
  const files = [...new Set(refs.map((r) => r.file))];
  const rotated = await lastRotations(root, files, log, signal);
  return { values: new Map(refs.map((r) => [r.path, r])), rotated };
}
