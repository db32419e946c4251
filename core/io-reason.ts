/** Why a file system call failed, in a few words rather than a system message. */

const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOENT: "no such file or directory",
  ENOTDIR: "a parent is not a directory",
  EISDIR: "it is a directory",
  EEXIST: "it already exists",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EIO: "input/output error",
  ESTALE: "stale file handle",
  EBUSY: "resource busy",
  EXDEV: "not on the same file system",
};

/** The errno code of a system error (`EACCES`), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * `permission denied (EACCES)` for a system error; the message itself for anything else.
 * `words` overrides the wording of some codes where the context says more (a file listed a moment
 * ago and now missing "disappeared while the repo was read").
 */
export function ioReason(err: unknown, words: Readonly<Record<string, string>> = {}): string {
  const code = errnoCode(err);
  if (code) return `${words[code] ?? ERRNO_WORDS[code] ?? "system error"} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
