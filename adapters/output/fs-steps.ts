/**
 * File system steps for writing a tree, each failing with a LabError that names the path and
 * the reason in words (never a raw errno), and directory creation that never loops.
 */
import { lstat, mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { LabError } from "../../core/errors.js";
import { errnoCode, ioReason } from "../../core/io-reason.js";

/** Runs one step; a failure becomes `cannot <what> <path>: <reason>`. */
export async function step<T>(what: string, path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    if (cause instanceof LabError) throw cause;
    if ((cause as Error).name === "AbortError") throw cause;
    throw new LabError("IO", `cannot ${what} ${path}: ${ioReason(cause)}`, { cause });
  }
}

/** The entry at `path` (symbolic links not followed), or null when there is none. */
export async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new LabError("IO", `cannot read ${path}: ${ioReason(err)}`, { cause: err });
  }
}

/**
 * Makes sure `dir` is a directory, creating it and the parents it lacks one at a time: the walk
 * up stops at the first entry that exists, so it is bounded by the path's depth. (A recursive
 * `mkdir` under /proc spins forever.) An ancestor that is not a directory is named.
 */
export async function ensureDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    const info = await lstatOrNull(at);
    if (info) {
      const isDir = info.isDirectory() || (info.isSymbolicLink() && (await isDirectory(at)));
      if (!isDir) {
        const what = at === dir ? "is not a directory" : `is not a directory (needed for ${dir})`;
        throw new LabError("IO", `cannot write to ${dir}: ${at} ${what}`);
      }
      break;
    }
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing) {
    await step("create the directory", at, async () => {
      try {
        await mkdir(at);
      } catch (err) {
        if (errnoCode(err) !== "EEXIST" || !(await isDirectory(at))) throw err;
      }
    });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
