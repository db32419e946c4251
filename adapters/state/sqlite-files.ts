/** The files of a SQLite store: where it lives by default, checking the path, moving a bad one aside. */
import { closeSync, constants, existsSync, mkdirSync, openSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { LabError } from "../../core/errors.js";
import { errnoCode, ioReason } from "../../core/io-reason.js";

/** `~/.lab/state.db`. */
export function defaultStatePath(home: string = homedir()): string {
  return join(home, ".lab", "state.db");
}

/** The companions SQLite keeps beside a database in WAL mode. */
export const SIDE_FILES = ["-wal", "-shm"] as const;

/** `20261201T230512.345Z`: a UTC time that sorts and is safe in a file name. */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "");
}

/**
 * Makes the store's folder (mode 0700 when lab creates it) and the file (mode 0600), so a path
 * that cannot be used fails here with the reason, before SQLite says only "unable to open".
 */
export function prepareStoreFile(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const why = errnoCode(err) === "EEXIST" ? "it is not a directory (ENOTDIR)" : ioReason(err);
    throw new LabError("IO", `cannot create the state store folder ${dir}: ${why}`, { cause: err });
  }
  try {
    closeSync(openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600));
  } catch (err) {
    throw new LabError(
      "IO",
      `cannot open the state store ${path} for reading and writing: ${ioReason(err)}`,
      { cause: err },
    );
  }
}

/** A name beside `path` that is not taken yet: `base`, else `base-1`, `base-2` … */
export function freeName(base: string): string {
  if (!existsSync(base)) return base;
  for (let i = 1; ; i++) {
    if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
  }
}

/**
 * Moves `path` and its -wal/-shm aside to `<path>.corrupt-<UTC time>` (the side files keep their
 * suffix, so SQLite opens the moved copy with its log). Returns the new name of the database.
 */
export function moveAside(path: string, ms: number): string {
  const target = freeName(`${path}.corrupt-${fileStamp(ms)}`);
  try {
    renameSync(path, target);
    for (const side of SIDE_FILES) {
      if (existsSync(path + side)) renameSync(path + side, target + side);
    }
  } catch (err) {
    throw new LabError(
      "IO",
      `the state store ${path} is corrupt and cannot be moved aside: ${ioReason(err)}`,
      { cause: err },
    );
  }
  return target;
}
