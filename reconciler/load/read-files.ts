/** Reads a repo's files through a FileSource: bounded concurrency, a size cap, no exceptions for bad files. */
import type { Diagnostic } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import { ioReason } from "./io-reason.js";

/** Files above this size are not read at all. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** How many reads are in flight at once. */
const CONCURRENCY = 32;

/** A file's bytes, or why there are none (too big, or unreadable). */
export type ReadResult =
  { path: string; bytes: Uint8Array } | { path: string; diagnostic: Diagnostic };

export const UNREADABLE_FIX =
  "make it readable by the user lab runs as, or list it in lab.ignore if it is not config";

export function fileDiagnostic(
  path: string,
  code: "LAB003" | "LAB006",
  message: string,
  fix?: string,
): Diagnostic {
  const d: Diagnostic = {
    file: path,
    line: 1,
    col: 1,
    severity: "error",
    code,
    pointer: "",
    message,
  };
  return fix ? { ...d, fix } : d;
}

async function readOne(
  source: FileSource,
  path: string,
  size: number,
  signal?: AbortSignal,
): Promise<ReadResult> {
  if (size > MAX_FILE_BYTES) {
    const mib = (size / 1024 / 1024).toFixed(1);
    return {
      path,
      diagnostic: fileDiagnostic(
        path,
        "LAB003",
        `file is ${mib} MiB, over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for config files`,
      ),
    };
  }
  try {
    return { path, bytes: await source.read(path, signal) };
  } catch (err) {
    signal?.throwIfAborted();
    return {
      path,
      diagnostic: fileDiagnostic(
        path,
        "LAB006",
        `cannot read file: ${ioReason(err)}`,
        UNREADABLE_FIX,
      ),
    };
  }
}

/**
 * Reads files in the order given, `CONCURRENCY` at a time. A file that is too big or cannot be
 * read becomes a diagnostic; an abort rejects.
 */
export async function readFiles(
  source: FileSource,
  paths: readonly string[],
  sizes: ReadonlyMap<string, number>,
  signal?: AbortSignal,
): Promise<ReadResult[]> {
  const results = new Array<ReadResult>(paths.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < paths.length) {
      signal?.throwIfAborted();
      const i = next++;
      const path = paths[i]!;
      results[i] = await readOne(source, path, sizes.get(path) ?? 0, signal);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, paths.length) }, worker));
  return results;
}
